/*
 * mm/slab.h: object caches (Bonwick's slab allocator) and kmalloc.
 *
 * A cache hands out objects of one size. It gets memory a slab at a time:
 * 2^order contiguous pages holding a struct slab and as many objects as
 * fit. Slabs sit on one of three lists: full, partial, empty. Allocation
 * takes from a partial slab, else an empty one, else grows the cache by a
 * new slab; freeing an object may move its slab to partial or empty, and
 * kmem_cache_shrink gives empty slabs back to the page allocator.
 *
 * A cache whose owner can find every pointer to its objects may be given a
 * mover (struct kmem_mover): then kmem_cache_evacuate empties its sparsest
 * slabs by moving their live objects into its fullest ones, and gives the
 * emptied pages back (docs/slab-relocation.md).
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/lib/list.h"

/* kmem_cache flags */
#define SLAB_POISON	0x1	/* fill free objects with 0x6b, check on alloc */
#define SLAB_REDZONE	0x2	/* guard words before and after each object */
#define SLAB_NO_COLOUR	0x4	/* start every slab's objects at offset 0 */
#define SLAB_DEBUG	(SLAB_POISON | SLAB_REDZONE)

#define KMEM_NAME	24

struct slab;
struct kmem_cache;

/*
 * Relocation callbacks. All are called with interrupts off and must not
 * sleep; the slab layer calls isolate on every live object of a slab
 * before it moves any of them, so that a slab it cannot empty is left as
 * it was.
 */
struct kmem_mover {
	/* May obj move? Only if every pointer to it is one the owner can find
	   and fix (no reference held outside the owner's own structures). If
	   so, pin it and return true: until migrate or putback, the owner does
	   not free it. */
	bool (*isolate)(void *obj);
	/* Unpin an isolated object that is not going to move. */
	void (*putback)(void *obj);
	/* Move isolated obj into to (a fresh slot, constructed if the cache has
	   a constructor), fix every pointer to obj, leave obj in its constructed
	   state and return KMEM_MOVED. Or drop it: unlink it from everything
	   and return KMEM_DROPPED, and the slab layer frees both slots. Or
	   refuse with a negative errno: obj stays, unpinned. */
	int (*migrate)(void *obj, void *to);
};

#define KMEM_MOVED	0
#define KMEM_DROPPED	1

struct kmem_cache {
	char name[KMEM_NAME];
	size_t obj_size;		/* what the user asked for */
	size_t size;			/* stride between objects, debug words included */
	size_t align;
	size_t offset;			/* of the object in its slot (past a red zone) */
	unsigned flags;			/* SLAB_* */
	unsigned order;			/* pages per slab = 1 << order */
	unsigned per_slab;		/* objects per slab */
	void (*ctor)(void *obj);	/* run once per object when its slab is made */
	const struct kmem_mover *mover;	/* NULL: objects never move */

	/* The lists and counters change with interrupts off. */
	struct list_head full, partial, empty;
	unsigned long active_objs;	/* allocated objects */
	unsigned long total_objs;	/* objects in all slabs */
	unsigned long total_slabs;
	unsigned colour_next, colour_max, colour_align;
	unsigned long moved, dropped;	/* by relocation, since the cache was made */
	unsigned long evacuated;	/* slabs emptied by kmem_cache_evacuate */
	uint16_t evac_gen;		/* marks the slabs one evacuation gave up on */
	struct list_head link;		/* on the list of all caches */
};

/* Make a cache of size-byte objects aligned to align (0: word); NULL if out of memory. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     void (*ctor)(void *), unsigned flags);
/* Destroy an empty cache; -EBUSY (and nothing freed) if objects are still allocated. */
int kmem_cache_destroy(struct kmem_cache *c);
/* An object, or NULL if memory is exhausted. */
void *kmem_cache_alloc(struct kmem_cache *c);
/* Return obj to c; panics if obj is not an allocated object of c. */
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* n objects of c into objs, all or none: 0, or -ENOMEM with none taken. For
   callers that need many at once: one interrupt switch, no call per object. */
int kmem_cache_alloc_bulk(struct kmem_cache *c, size_t n, void **objs);
/* Free the n objects in objs to c, as kmem_cache_free would each. */
void kmem_cache_free_bulk(struct kmem_cache *c, size_t n, void **objs);
/* Give c a mover (owners call it once, after kmem_cache_create); -EINVAL
   if c's slabs hold more objects than evacuation can track. */
int kmem_cache_set_mover(struct kmem_cache *c, const struct kmem_mover *m);
/*
 * Empty c's sparsest partial slabs into its fullest ones through its mover,
 * and free them, until no slab's objects fit in the other slabs' free slots
 * or max_pages pages have gone back (0: no limit). A slab with an object the
 * owner will not move is left as it was. Returns the pages given back.
 */
unsigned kmem_cache_evacuate(struct kmem_cache *c, unsigned max_pages);
/* Move obj to a slot in another slab of c (self-tests, stress): its new
   address, or NULL if the owner refused or memory is short. */
void *kmem_cache_relocate(struct kmem_cache *c, void *obj);
/* A map of c's slabs, one line per slab and one character per slot:
   '#' allocated, '.' free (docs/slab-relocation.md); its length. */
int slab_map_text(const struct kmem_cache *c, char *buf, size_t size);
/* Free c's empty slabs; returns the pages given back. */
unsigned kmem_cache_shrink(struct kmem_cache *c);
/* Shrink every cache; returns the pages given back. */
unsigned slab_shrink_all(void);
/* Allocated objects in all caches (leak checks). */
unsigned long slab_active_objects(void);
/* Print every cache in Linux 2.4 /proc/slabinfo columns. */
void slabinfo_print(void);
/* All of slabinfo as text into buf; returns its length. */
int slabinfo_text(char *buf, size_t size);
/* Format one cache's slabinfo line into buf. */
int slabinfo_line(const struct kmem_cache *c, char *buf, size_t size);
/* The cache an object (any address in a slab) belongs to. */
struct kmem_cache *kmem_cache_of(const void *obj);
/* Find a cache by name (tests, slabinfo); NULL if none. */
struct kmem_cache *kmem_cache_find(const char *name);

/*
 * Debug checks, exposed so the self-tests can see the verdict without a
 * panic: what is wrong with freeing obj to c, or NULL if nothing.
 */
const char *slab_check_free(struct kmem_cache *c, void *obj);

/* Make the caches of caches and kmalloc (debugging all caches with the
   slab_debug option); after page_alloc_init. */
void slab_init(void);
/* Make the kmalloc size classes; after slab_init. */
void kmalloc_init(void);

/* kmalloc: size classes from 8 to 2048 bytes; larger goes to the page allocator. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *p);
/* The usable size of a kmalloc'd block. */
size_t ksize(const void *p);

#define KMALLOC_MAX_CACHE	2048
#endif
