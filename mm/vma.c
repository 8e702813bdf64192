/*
 * mm/vma.c: the regions of an address space, as a set.
 *
 * Each struct mm keeps its regions twice over: on a list sorted by address
 * (mm->vmas), to walk them in order and reach a region's neighbours in one
 * step; and in a red-black tree keyed by start address (mm->vma_tree), to
 * find the region of an address in O(log n) however many there are. The
 * region found last is remembered (mm->vma_cache): faults and system calls
 * tend to hit the same region again, and then lookup costs one compare.
 *
 * Regions merge. Two regions that touch, with the same protection and kind
 * and the same backing, are one region: anonymous memory with anonymous
 * memory; the same file at consecutive page offsets (and the same end of
 * file data); the same shared-memory object at consecutive offsets (two
 * different objects never: each mmap(MAP_SHARED) is its own). So a heap
 * grown by thousands of sbrk calls is one region, and so is a range whose
 * protection was changed and changed back.
 *
 *   mm->vmas:   [text r-x]<->[data rw-]<->[heap rw-]<->.....<->[stack rw-]
 *   vma_tree:                  [heap]
 *                             /      \
 *                        [data]      [stack]
 *                        /
 *                   [text]
 *
 * Invariants (vma_verify checks them): the list is sorted and regions do
 * not overlap; the tree holds exactly the list's regions, in the same
 * order, and is a valid red-black tree; no two neighbours could merge;
 * mm->nr_vmas counts them; the cache is NULL or one of them.
 *
 * Committed memory is counted here too. A region that is writable when
 * it is made, and private or shared memory of its own (not one fork just
 * copied, and not VM_NORESERVE: the stack), has its pages added to the
 * committed count; with the `overcommit=strict` policy (the default), a
 * region that would take the count past the limit is refused, so sbrk
 * and mmap fail (-1) where a program can see it, instead of the program
 * being killed at a page fault later. The limit is the pages free when the
 * first region is charged (after the kernel set itself up), less 1/16 for
 * page tables and the kernel's own growth. `overcommit=always` counts but
 * never refuses. Copy-on-write after fork is not counted (the copies are
 * made only if written). mprotect charges what it makes writable (and is
 * refused past the limit) and gives back what it makes read-only. A
 * region carries its charge through splits and merges (only regions
 * charged alike merge), and gives it back when it goes.
 *
 * This file knows regions only: page tables and pages are vm.c's, which
 * calls in here to change the set and then fixes the PTEs to match.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/tunable.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"

static struct kmem_cache *vma_cache;

enum { OVERCOMMIT_STRICT, OVERCOMMIT_ALWAYS };
static int overcommit = OVERCOMMIT_STRICT;
static const char *const overcommit_modes[] = { "strict", "always", NULL };
TUNABLE_CHOICE(overcommit, &overcommit, overcommit_modes,
	       "refuse regions past the commit limit (strict, the default) or not (always)");
static uint32_t committed, commit_limit;	/* pages */

uint32_t vm_committed(void)
{
	return committed;
}

/* Memory free once the kernel is up (less a sixteenth), and all of swap. */
uint32_t vm_commit_limit(void)
{
	if (!commit_limit) {		/* first asked once the kernel is up */
		uint32_t avail = page_free_count();
		commit_limit = avail - avail / 16;
	}
	return commit_limit + swap_total();
}

/*
 * Count pages as committed to mm; -ENOMEM (nothing counted) past the limit
 * if strict. An mm exec is building may also use what the image it will
 * replace has committed (mm->commit_credit): counting the old image and
 * the new one at once would stop a large process from running exec.
 */
static int charge(struct mm *mm, uint32_t pages)
{
	uint32_t limit = vm_commit_limit() + mm->commit_credit;

	if (overcommit == OVERCOMMIT_STRICT && pages > limit - MIN(committed, limit))
		return -ENOMEM;
	committed += pages;
	return 0;
}

static struct vma *of(struct rb_node *n)
{
	return n ? rb_entry(n, struct vma, rb) : NULL;
}

struct vma *vma_find(struct mm *mm, uint32_t va)
{
	struct vma *c = mm->vma_cache;
	struct rb_node *n = mm->vma_tree.node;

	if (c && c->start <= va && va < c->end)
		return c;
	while (n) {
		struct vma *v = of(n);
		if (va < v->start) {
			n = n->left;
		} else if (va >= v->end) {
			n = n->right;
		} else {
			mm->vma_cache = v;
			return v;
		}
	}
	return NULL;
}

struct vma *vma_first_after(struct mm *mm, uint32_t addr)
{
	struct rb_node *n = mm->vma_tree.node;
	struct vma *best = NULL;

	while (n) {				/* the leftmost region with end > addr */
		struct vma *v = of(n);
		if (v->end > addr) {
			best = v;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->link.next == &mm->vmas ? NULL : list_entry(v->link.next, struct vma, link);
}

struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->link.prev == &mm->vmas ? NULL : list_entry(v->link.prev, struct vma, link);
}

/* Put v in both structures, right after prev (NULL: first). */
static void link_after(struct mm *mm, struct vma *v, struct vma *prev)
{
	struct rb_node **link = &mm->vma_tree.node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = v->start < of(parent)->start ? &parent->left : &parent->right;
	}
	rb_insert(&mm->vma_tree, &v->rb, parent, link);
	list_add(&v->link, prev ? &prev->link : &mm->vmas);
	mm->nr_vmas++;
}

static void unlink(struct mm *mm, struct vma *v)
{
	rb_erase(&mm->vma_tree, &v->rb);
	list_del(&v->link);
	mm->nr_vmas--;
	if (mm->vma_cache == v)
		mm->vma_cache = NULL;
}

static void shm_put(struct shmem *shm)
{
	if (!shm || --shm->refs > 0)
		return;
	for (uint32_t i = 0; i < shm->npages; i++)
		shm_release(&shm->pages[i]);
	kfree(shm);
}

static struct shmem *shm_create(uint32_t npages)
{
	struct shmem *shm = kzalloc(sizeof(*shm) + npages * sizeof(struct page *));

	if (shm) {
		shm->refs = 1;
		shm->npages = npages;
	}
	return shm;
}

/* Make v (fresh memory) a region like tmpl, with its own references to the backing. */
static void vma_fill(struct vma *v, const struct vma *tmpl)
{
	v->start = tmpl->start;		/* field by field: link and rb are the set's */
	v->end = tmpl->end;
	v->prot = tmpl->prot;
	v->kind = tmpl->kind;
	v->shm = tmpl->shm;
	v->file = tmpl->file;
	v->file_end = tmpl->file_end;
	v->pgoff = tmpl->pgoff;
	v->charged = tmpl->charged;
	if (v->shm)
		v->shm->refs++;
	if (v->file)
		filemap_get(v->file);
}

/* A new region like tmpl; NULL if out of memory. */
static struct vma *vma_clone(const struct vma *tmpl)
{
	struct vma *v = kmem_cache_alloc(vma_cache);

	if (v)
		vma_fill(v, tmpl);
	return v;
}

static uint32_t npages(const struct vma *v);

/* Drop v's references to its backing and its charge (its memory is the caller's). */
static void __attribute__((noinline)) vma_release_held(struct vma *v)
{
	if (v->charged) {
		KASSERT(committed >= npages(v));
		committed -= npages(v);
	}
	if (v->shm)
		shm_put(v->shm);
	if (v->file)
		filemap_put(v->file);
}

/*
 * Let go of what v holds: its commitment, its shared memory, its file. A
 * fork's copy of private anonymous memory holds none of them, and an exit
 * of a process with many regions lets go of each: that case costs a test.
 */
static inline void vma_release(struct vma *v)
{
	if (v->charged || v->shm || v->file)
		vma_release_held(v);
}

static void vma_free(struct vma *v)
{
	vma_release(v);
	kmem_cache_free(vma_cache, v);
}

static uint32_t npages(const struct vma *v)
{
	return (v->end - v->start) / PGSIZE;
}

/* Could a and b (a just before b) be one region? */
static bool can_merge(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->kind != b->kind ||
	    a->charged != b->charged)
		return false;
	switch (a->kind) {
	case VMA_ANON:
		return true;
	case VMA_FILE:
		return a->file == b->file && a->file_end == b->file_end &&
		       a->pgoff + npages(a) == b->pgoff;
	case VMA_SHARED:
		return a->shm == b->shm && a->pgoff + npages(a) == b->pgoff;
	}
	return false;
}

/* a takes in b, its neighbour on the right (and its charge with its pages). */
static void absorb(struct mm *mm, struct vma *a, struct vma *b)
{
	a->end = b->end;
	unlink(mm, b);
	b->charged = false;
	vma_free(b);
}

/* Merge v with whichever neighbours it can; the region v is now part of. */
static struct vma *merge_around(struct mm *mm, struct vma *v)
{
	struct vma *p = vma_prev(mm, v), *n = vma_next(mm, v);

	if (n && can_merge(v, n))
		absorb(mm, v, n);
	if (p && can_merge(p, v)) {
		absorb(mm, p, v);
		v = p;
	}
	return v;
}

static bool range_ok(uint32_t start, uint32_t len)
{
	return len && !(start & (PGSIZE - 1)) && !(len & (PGSIZE - 1)) &&
	       start < USER_TOP && len <= USER_TOP - start;
}

int vma_add(struct mm *mm, const struct vma *tmpl)
{
	struct vma *after, *v;

	if (!range_ok(tmpl->start, tmpl->end - tmpl->start))
		return -EINVAL;
	after = vma_first_after(mm, tmpl->start);
	if (after && after->start < tmpl->end)
		return -EINVAL;			/* overlap */
	if (!(v = vma_clone(tmpl)))
		return -ENOMEM;
	v->charged = false;
	if ((v->prot & (VM_WRITE | VM_NORESERVE)) == VM_WRITE) {
		if (charge(mm, npages(v)) < 0) {
			vma_free(v);
			return -ENOMEM;
		}
		v->charged = true;
	}
	if (v->kind == VMA_SHARED && !v->shm && !(v->shm = shm_create(npages(v)))) {
		vma_free(v);
		return -ENOMEM;
	}
	link_after(mm, v, after ? vma_prev(mm, after) : of(rb_last(&mm->vma_tree)));
	merge_around(mm, v);
	while ((v = vma_find(mm, mm->gap_below)) != NULL && mm->gap_below >= mm->gap_lo)
		mm->gap_below = v->end;		/* the covered stretch grew */
	return 0;
}

/* Make addr a region boundary (if a region spans it); 1 if it split one, or -ENOMEM. */
static int split_at(struct mm *mm, uint32_t addr)
{
	struct vma *v = vma_find(mm, addr), *n;

	if (!v || v->start == addr)
		return 0;			/* a boundary already, or no region */
	if (!(n = vma_clone(v)))
		return -ENOMEM;
	n->start = addr;
	n->pgoff = v->pgoff + (addr - v->start) / PGSIZE;
	v->end = addr;
	link_after(mm, n, v);
	return 1;
}

int vma_split_range(struct mm *mm, uint32_t start, uint32_t end)
{
	int first = split_at(mm, start);

	if (first < 0)
		return first;
	if (end < USER_TOP && split_at(mm, end) < 0) {
		if (first)			/* put it back as it was */
			absorb(mm, vma_find(mm, start - 1), vma_find(mm, start));
		return -ENOMEM;
	}
	return 0;
}

void vma_remove_range(struct mm *mm, uint32_t start, uint32_t end)
{
	struct vma *v = vma_first_after(mm, start), *next;

	for (; v && v->start < end; v = next) {
		next = vma_next(mm, v);
		KASSERT(v->start >= start && v->end <= end);	/* split first */
		unlink(mm, v);
		vma_free(v);
	}
	if (start < mm->gap_below && end > mm->gap_lo)	/* a hole in the covered stretch */
		mm->gap_below = MAX(start, mm->gap_lo);
}

/* Would a region of prot (and v's VM_NORESERVE) be charged? */
static bool chargeable(const struct vma *v, unsigned prot)
{
	return (prot & VM_WRITE) && !(v->prot & VM_NORESERVE);
}

int vma_protect_range(struct mm *mm, uint32_t start, uint32_t end, unsigned prot)
{
	uint32_t more = 0;
	struct vma *v;

	/* what becoming writable newly commits, counted before anything changes */
	for (v = vma_first_after(mm, start); v && v->start < end; v = vma_next(mm, v))
		if (!v->charged && chargeable(v, prot))
			more += (MIN(end, v->end) - MAX(start, v->start)) / PGSIZE;
	if (charge(mm, more) < 0)
		return -ENOMEM;
	if (vma_split_range(mm, start, end) < 0) {
		committed -= more;
		return -ENOMEM;
	}
	for (v = vma_first_after(mm, start); v && v->start < end; v = vma_next(mm, v)) {
		v->prot = prot | (v->prot & VM_NORESERVE);
		if (!v->charged && chargeable(v, prot))
			v->charged = true;		/* counted above */
		else if (v->charged && !chargeable(v, prot)) {
			committed -= npages(v);		/* read-only now: nothing to promise */
			v->charged = false;
		}
	}
	/* now merge every pair that touches in [start - 1, end] */
	v = (start && vma_find(mm, start - 1)) ? vma_find(mm, start - 1) :
						 vma_first_after(mm, start);
	while (v && v->start < end) {
		struct vma *n = vma_next(mm, v);
		if (n && can_merge(v, n))
			absorb(mm, v, n);
		else
			v = n;
	}
	return 0;
}

#define BATCH	64	/* regions freed or allocated per slab call at exit and fork */

void vma_remove_all(struct mm *mm)
{
	struct list_head *pos, *next;
	void *batch[BATCH];
	size_t n = 0;

	for (pos = mm->vmas.next; pos != &mm->vmas; pos = next) {	/* the tree goes whole */
		struct vma *v = list_entry(pos, struct vma, link);
		next = pos->next;
		vma_release(v);
		batch[n++] = v;
		if (n == BATCH || next == &mm->vmas) {
			kmem_cache_free_bulk(vma_cache, n, batch);
			n = 0;
		}
	}
	list_init(&mm->vmas);
	mm->vma_tree.node = NULL;
	mm->vma_cache = NULL;
	mm->nr_vmas = 0;
}

/* The copy of the node p stands for (copies made, and noted in ->copy). */
static struct rb_node *copy_of(struct rb_node *p)
{
	return p ? &of(p)->copy->rb : NULL;
}

/*
 * Fork: the child gets a copy of every region, and its tree the same shape
 * and colours as the parent's, node for node, so no rebalancing is needed
 * and the whole copy is linear in the number of regions, with a small
 * constant: the regions come from the slab in batches, and each node is
 * wired in a step through the copy pointers the first pass left.
 */
int vma_copy_all(struct mm *child, struct mm *src)
{
	struct list_head *pos;
	void *batch[BATCH];
	size_t n = 0, left = src->nr_vmas;

	KASSERT(list_empty(&child->vmas));
	list_for_each(pos, &src->vmas) {
		struct vma *p = list_entry(pos, struct vma, link);
		if (n == 0) {
			n = MIN(left, (size_t)BATCH);
			if (kmem_cache_alloc_bulk(vma_cache, n, batch) < 0)
				return -ENOMEM;	/* what was copied is on the list, for mm_destroy */
			left -= n;
		}
		p->copy = batch[--n];
		vma_fill(p->copy, p);
		p->copy->charged = false;	/* copy-on-write: not committed again */
		list_add_tail(&p->copy->link, &child->vmas);
	}
	list_for_each(pos, &src->vmas) {
		struct vma *p = list_entry(pos, struct vma, link);
		p->copy->rb = (struct rb_node){ .parent = copy_of(p->rb.parent),
						.left = copy_of(p->rb.left),
						.right = copy_of(p->rb.right), .red = p->rb.red };
	}
	child->vma_tree.node = copy_of(src->vma_tree.node);
	child->nr_vmas = src->nr_vmas;
	child->gap_lo = src->gap_lo;
	child->gap_below = src->gap_below;
	return 0;
}

uint32_t vma_find_gap(struct mm *mm, uint32_t lo, uint32_t hi, uint32_t len, uint32_t align)
{
	uint32_t a;

	if (mm->gap_lo != lo)			/* another window: start knowing nothing */
		mm->gap_lo = mm->gap_below = lo;
	a = (MAX(lo, mm->gap_below) + align - 1) & ~(align - 1);

	while (a >= lo && a + len > a && a + len <= hi) {
		struct vma *v = vma_first_after(mm, a);
		if (!v || v->start >= a + len)
			return a;
		a = (v->end + align - 1) & ~(align - 1);
	}
	return 0;
}

void mm_commit_credit(struct mm *mm, struct mm *old)
{
	mm->commit_credit = old ? vma_charged(old) : 0;
}

uint32_t vma_charged(struct mm *mm)
{
	struct list_head *pos;
	uint32_t pages = 0;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		pages += v->charged ? npages(v) : 0;
	}
	return pages;
}

const char *vma_verify(struct mm *mm)
{
	struct rb_node *n = rb_first(&mm->vma_tree);
	struct list_head *pos;
	struct vma *prev = NULL;
	uint32_t count = 0;
	bool cached = !mm->vma_cache;
	const char *why;

	if (rb_check(&mm->vma_tree, &why) < 0)
		return why;
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (n != &v->rb)
			return "the tree and the list disagree on the regions or their order";
		if (v->start >= v->end || (v->start | v->end) & (PGSIZE - 1) || v->end > USER_TOP)
			return "a region is empty, unaligned or outside user space";
		if (prev && prev->end > v->start)
			return "two regions overlap, or are out of order";
		if (prev && can_merge(prev, v))
			return "two neighbouring regions should have been merged";
		cached |= mm->vma_cache == v;
		prev = v;
		n = rb_next(n);
		count++;
	}
	if (n)
		return "the tree has a region the list does not";
	if (count != mm->nr_vmas)
		return "nr_vmas does not count the regions";
	if (!cached)
		return "the cached region is not one of mm's";
	for (uint32_t a = mm->gap_lo; a < mm->gap_below; a = vma_find(mm, a)->end)
		if (!vma_find(mm, a))
			return "a gap below gap_below, where vma_find_gap does not look";
	return NULL;
}

void vma_init(void)
{
	if (!(vma_cache = kmem_cache_create("vma", sizeof(struct vma), 0, NULL, 0)))
		panic("vma_init: out of memory");
}
