/*
 * mm/kmalloc.c: general-purpose kernel allocation over slab caches.
 *
 * Requests up to KMALLOC_MAX_CACHE bytes come from the smallest size class
 * that fits ("size-32", "size-64", ... as in Linux 2.4). Larger requests go
 * straight to the page allocator as a block of 2^order pages whose first
 * page is marked PG_kmalloc. kfree tells the two apart by the page flags
 * and panics on a pointer that is neither (a foreign pointer).
 */
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/page.h"
#include "mm/slab.h"

static const unsigned sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };
static struct kmem_cache *classes[ARRAY_SIZE(sizes)];

void kmalloc_init(void)
{
	char name[KMEM_NAME];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(name, sizeof(name), "size-%u", sizes[i]);
		classes[i] = kmem_cache_create(name, sizes[i], sizes[i] >= 64 ? 32 : 8,
					       NULL, 0);
		if (!classes[i])
			panic("kmalloc_init: cannot make cache %s", name);
	}
}

static struct kmem_cache *class_for(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (size <= sizes[i])
			return classes[i];
	return NULL;
}

static int is_class(const struct kmem_cache *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (classes[i] == c)
			return 1;
	return 0;
}

static unsigned order_for(size_t size)
{
	unsigned order = 0;

	while ((PGSIZE << order) < size)
		order++;
	return order;
}

void *kmalloc(size_t size)
{
	struct kmem_cache *c;
	struct page *pg;

	if (size == 0)
		return NULL;
	if ((c = class_for(size)) != NULL)
		return kmem_cache_alloc(c);
	if (size > (PGSIZE << (MAX_ORDER - 1)))
		return NULL;
	pg = alloc_pages(order_for(size));
	if (!pg)
		return NULL;
	pg->flags |= PG_kmalloc;
	return page_address(pg);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static struct page *owner(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a < KERNBASE || V2P(a) >= (paddr_t)max_pfn << PGSHIFT)
		panic("kfree: %p is not kernel memory (foreign pointer)", p);
	return virt_to_page(p);
}

void kfree(const void *p)
{
	struct page *pg;

	if (!p)
		return;
	pg = owner(p);
	if (pg->flags & PG_slab) {
		struct kmem_cache *c = kmem_cache_of(p);
		if (!is_class(c))
			panic("kfree: %p belongs to cache %s, not to kmalloc", p, c->name);
		kmem_cache_free(c, (void *)p);
		return;
	}
	if ((pg->flags & PG_kmalloc) && page_address(pg) == p) {
		pg->flags &= ~PG_kmalloc;
		free_pages(pg, pg->order);
		return;
	}
	panic("kfree: %p was not allocated by kmalloc (foreign pointer)", p);
}

size_t ksize(const void *p)
{
	struct page *pg = owner(p);

	if (pg->flags & PG_slab)
		return kmem_cache_of(p)->obj_size;
	if (pg->flags & PG_kmalloc)
		return PGSIZE << pg->order;
	panic("ksize: %p was not allocated by kmalloc", p);
}
