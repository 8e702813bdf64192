/*
 * mm/pgtable.c: allocate page tables and keep their user lists.
 *
 * Invariants: pt->users equals the length of pt->user_list; a table with
 * users > 0 is pointed at by exactly those directories (checked by
 * rmap_verify); a table is freed only with no users, no present entries
 * and no swap entries.
 */
#include "mm/pgtable.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/slab.h"
#include "mm/vm.h"

static struct kmem_cache *pgtable_cache, *pt_user_cache;
static uint32_t nr_tables, nr_users;

struct pgtable *pt_alloc(void)
{
	struct pgtable *pt = kmem_cache_alloc(pgtable_cache);
	struct page *pg;

	if (!pt)
		return NULL;
	pg = alloc_page();
	if (!pg) {
		kmem_cache_free(pgtable_cache, pt);
		return NULL;
	}
	memset(page_address(pg), 0, PGSIZE);
	pg->flags |= PG_pgtable;
	pg->private = (uintptr_t)pt;
	*pt = (struct pgtable){ .page = pg };
	list_init(&pt->user_list);
	nr_tables++;
	return pt;
}

void pt_free(struct pgtable *pt)
{
	if (pt->users || pt->nr_present || pt->nr_swap)
		panic("pt_free: table %p still has %d users, %d entries, %d swap entries",
		      (void *)pt, pt->users, pt->nr_present, pt->nr_swap);
	pt->page->flags &= ~PG_pgtable;
	pt->page->private = 0;
	free_page(pt->page);
	kmem_cache_free(pgtable_cache, pt);
	nr_tables--;
}

int pt_add_user(struct pgtable *pt, struct mm *mm, uint32_t vbase)
{
	struct pt_user *u = kmem_cache_alloc(pt_user_cache);

	if (!u)
		return -ENOMEM;
	u->mm = mm;
	u->pt = pt;
	u->vbase = vbase;
	list_add_tail(&u->link, &pt->user_list);
	list_add(&u->mm_link, &mm->pt_users);
	pt->users++;
	nr_users++;
	return 0;
}

struct pt_user *pt_find_user(struct pgtable *pt, struct mm *mm)
{
	struct list_head *pos;

	list_for_each(pos, &mm->pt_users) {
		struct pt_user *u = list_entry(pos, struct pt_user, mm_link);
		if (u->pt == pt)
			return u;
	}
	return NULL;
}

void pt_del_user(struct pgtable *pt, struct mm *mm)
{
	struct pt_user *u = pt_find_user(pt, mm);

	if (!u)
		panic("pt_del_user: mm %p does not use table %p", (void *)mm, (void *)pt);
	list_del(&u->link);
	list_del(&u->mm_link);
	kmem_cache_free(pt_user_cache, u);
	pt->users--;
	KASSERT(pt->users >= 0);	/* (the list matches the count: vmcheck) */
	nr_users--;
}

uint32_t pt_count(void)
{
	return nr_tables;
}

uint32_t pt_meta_bytes(void)
{
	return nr_tables * pgtable_cache->size + nr_users * pt_user_cache->size;
}

void pgtable_init(void)
{
	pgtable_cache = kmem_cache_create("pgtable", sizeof(struct pgtable), 0, NULL, 0);
	pt_user_cache = kmem_cache_create("pt_user", sizeof(struct pt_user), 0, NULL, 0);
	if (!pgtable_cache || !pt_user_cache)
		panic("pgtable_init: out of memory");
}
