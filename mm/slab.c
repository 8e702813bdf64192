/*
 * mm/slab.c: the slab allocator.
 *
 * A slab is 2^order pages laid out as
 *
 *   | struct slab | bufctl[per_slab] | colour | obj 0 | obj 1 | ... | spare |
 *
 * bufctl[i] is the index of the next free object after object i (SLAB_END
 * ends the chain); slab->free heads it. Keeping the free chain outside the
 * objects leaves a constructed object intact while it is free, which is
 * the point of a constructor (Bonwick 1994). Every page of a slab has
 * PG_slab and page->private pointing at the struct slab, so kfree and
 * kmem_cache_free find the slab from any object address.
 *
 * Colouring: the spare bytes of a slab shift successive slabs' first
 * object by colour_align bytes each, so equal offsets in different slabs
 * do not all compete for the same cache lines.
 *
 * Debugging (SLAB_POISON, SLAB_REDZONE; boot option slab_debug for all
 * caches): a guard word sits on each side of an object and says whether it
 * is allocated; a free object is filled with POISON_FREE and checked when
 * next handed out. slab_check_free names what is wrong with a free.
 *
 * Relocation (part G, docs/slab-relocation.md): a cache with a mover can
 * have the live objects of its sparsest slabs moved into its fullest ones
 * by the owner's callbacks, so that whole slabs empty and go back. The
 * slab layer picks the slabs and the slots; only the owner knows who
 * points at an object, so only the owner moves it or says no.
 *
 * Invariants: slab->inuse objects of a slab are allocated and the rest are
 * on its free chain; a slab is on full, partial or empty according to
 * inuse; c->active_objs and c->total_objs sum over c's slabs. Evacuation
 * never grows a cache and never takes a destination from an empty slab or
 * from the slab it is emptying.
 */
#include "mm/slab.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"
#include "mm/page.h"

#define SLAB_END	0xffffu
#define SLAB_MAX_ORDER	3
#define POISON_FREE	0x6b
#define RZ_ACTIVE	0xa11ca7edu	/* guard word of an allocated object */
#define RZ_FREE		0xf7eef7eeu	/* guard word of a free object */
#define RZ_BYTES	4

struct slab {
	struct list_head link;		/* on the cache's full/partial/empty list */
	struct kmem_cache *cache;
	uint8_t *mem;			/* object 0 */
	uint16_t inuse;			/* allocated objects */
	uint16_t free;			/* first free object, or SLAB_END */
	uint16_t evac_gen;		/* == cache's: this evacuation gave up on it
					   (a wrapped count costs one missed try) */
	uint16_t bufctl[];		/* next-free chain, one per object */
};

static struct kmem_cache cache_cache;	/* the cache struct kmem_caches come from */
static struct list_head all_caches = LIST_HEAD_INIT(all_caches);
static unsigned debug_all;		/* SLAB_* flags forced on by slab_debug */
static bool slab_debug;
TUNABLE_FLAG(slab_debug, &slab_debug, "poison and red-zone every slab cache");

/* Offset of the user's object inside its slot. */
static size_t obj_offset(const struct kmem_cache *c)
{
	return (c->flags & SLAB_REDZONE) ? MAX(c->align, (size_t)RZ_BYTES) : 0;
}

static uint32_t *rz_front(void *obj)
{
	return (uint32_t *)((uint8_t *)obj - RZ_BYTES);
}

static uint32_t *rz_back(const struct kmem_cache *c, void *obj)
{
	return (uint32_t *)((uint8_t *)obj + ((c->obj_size + 3) & ~3u));
}

/* Bytes before object 0 (colour aside): the header, rounded to c->align. */
static size_t slab_header(const struct kmem_cache *c, unsigned n)
{
	size_t h = sizeof(struct slab) + n * sizeof(uint16_t);

	return (h + c->align - 1) & ~(c->align - 1);
}

/* Choose order and objects per slab: the smallest order wasting <= 1/8. */
static void choose_layout(struct kmem_cache *c)
{
	for (c->order = 0;; c->order++) {
		size_t bytes = PGSIZE << c->order, n = bytes / c->size;

		while (n && slab_header(c, n) + n * c->size > bytes)
			n--;
		c->per_slab = n;
		size_t spare = bytes - slab_header(c, n) - n * c->size;
		if ((n && spare * 8 <= bytes) || c->order == SLAB_MAX_ORDER)
			break;
	}
	size_t spare = (PGSIZE << c->order) - slab_header(c, c->per_slab) -
		       c->per_slab * c->size;
	c->colour_align = MAX(c->align, (size_t)32);
	c->colour_max = (c->flags & SLAB_NO_COLOUR) ? 0 : spare / c->colour_align;
	c->colour_next = 0;
}

static int cache_setup(struct kmem_cache *c, const char *name, size_t size,
		       size_t align, void (*ctor)(void *), unsigned flags)
{
	memset(c, 0, sizeof(*c));
	strlcpy(c->name, name, sizeof(c->name));
	c->obj_size = size;
	c->align = align ? align : sizeof(void *);
	if (c->align & (c->align - 1) || c->align > PGSIZE)
		return -1;
	c->flags = flags | debug_all;
	c->ctor = ctor;
	c->size = obj_offset(c) + ((size + 3) & ~3u) +
		  ((c->flags & SLAB_REDZONE) ? RZ_BYTES : 0);
	c->size = (c->size + c->align - 1) & ~(c->align - 1);
	c->offset = obj_offset(c);
	choose_layout(c);
	if (c->per_slab == 0 || c->per_slab >= SLAB_END)
		return -1;
	list_init(&c->full);
	list_init(&c->partial);
	list_init(&c->empty);
	list_add_tail(&c->link, &all_caches);
	return 0;
}

static void *slot_obj(struct kmem_cache *c, struct slab *s, unsigned i)
{
	return s->mem + i * c->size + c->offset;
}

static inline void obj_mark_free(struct kmem_cache *c, void *obj)
{
	if (c->flags & SLAB_REDZONE)
		*rz_front(obj) = *rz_back(c, obj) = RZ_FREE;
	if (c->flags & SLAB_POISON)
		memset(obj, POISON_FREE, c->obj_size);
}

/* Make a new slab for c and put it on the empty list; -1 if out of memory. */
static int cache_grow(struct kmem_cache *c)
{
	struct page *pg = alloc_pages(c->order);
	struct slab *s;

	if (!pg)
		return -1;
	s = page_address(pg);
	for (unsigned i = 0; i < (1u << c->order); i++) {
		pg[i].flags |= PG_slab;
		pg[i].private = (uintptr_t)s;
	}
	s->cache = c;
	s->inuse = 0;
	s->evac_gen = 0;
	s->mem = (uint8_t *)s + slab_header(c, c->per_slab) +
		 c->colour_next * c->colour_align;
	c->colour_next = c->colour_next >= c->colour_max ? 0 : c->colour_next + 1;
	for (unsigned i = 0; i < c->per_slab; i++) {
		s->bufctl[i] = i + 1 < c->per_slab ? i + 1 : SLAB_END;
		if (c->ctor && !(c->flags & SLAB_POISON))
			c->ctor(slot_obj(c, s, i));
		obj_mark_free(c, slot_obj(c, s, i));
	}
	s->free = 0;
	list_add(&s->link, &c->empty);
	c->total_objs += c->per_slab;
	c->total_slabs++;
	return 0;
}

static void check_poison(struct kmem_cache *c, void *obj)
{
	const uint8_t *b = obj;

	if (c->flags & SLAB_POISON)
		for (size_t i = 0; i < c->obj_size; i++)
			if (b[i] != POISON_FREE)
				panic("slab %s: object %p modified after free (byte %u is 0x%x)",
				      c->name, obj, (unsigned)i, b[i]);
	if ((c->flags & SLAB_REDZONE) &&
	    (*rz_front(obj) != RZ_FREE || *rz_back(c, obj) != RZ_FREE))
		panic("slab %s: free object %p has a broken red zone", c->name, obj);
}

static inline __attribute__((always_inline)) void *slab_take(struct kmem_cache *c, struct slab *s)
{
	unsigned i = s->free;
	void *obj;

	KASSERT(i != SLAB_END);		/* a partial or empty slab has a free slot */
	obj = slot_obj(c, s, i);
	s->free = s->bufctl[i];
	s->inuse++;
	c->active_objs++;
	if (s->inuse == 1 || s->inuse == c->per_slab) {	/* it changes lists */
		list_del(&s->link);
		list_add(&s->link, s->inuse == c->per_slab ? &c->full : &c->partial);
	}
	if (c->flags & (SLAB_POISON | SLAB_REDZONE)) {	/* one test when not debugging */
		check_poison(c, obj);
		if (c->flags & SLAB_REDZONE)
			*rz_front(obj) = *rz_back(c, obj) = RZ_ACTIVE;
		if (c->ctor && (c->flags & SLAB_POISON))
			c->ctor(obj);
	}
	return obj;
}

FAULT_POINT(slab);

/* A slab of c with a free object, interrupts off; NULL if out of memory. */
static struct slab *slab_with_room(struct kmem_cache *c)
{
	struct list_head *from;

	if (list_empty(&c->partial) && list_empty(&c->empty) && cache_grow(c) < 0)
		return NULL;
	from = !list_empty(&c->partial) ? &c->partial : &c->empty;
	return list_entry(from->next, struct slab, link);
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	void *obj;
	int was;

	if (fault_hit(&fault_slab))
		return NULL;
	was = irq_save();
	struct slab *s = slab_with_room(c);
	obj = s ? slab_take(c, s) : NULL;
	irq_restore(was);
	return obj;
}

int kmem_cache_alloc_bulk(struct kmem_cache *c, size_t n, void **objs)
{
	int was = irq_save();
	size_t got = 0;

	struct slab *s;

	if (fault_hit(&fault_slab))		/* one request, as fault injection counts */
		got = n + 1;
	while (got < n && (s = slab_with_room(c))) {
		if (c->flags & (SLAB_POISON | SLAB_REDZONE)) {
			objs[got++] = slab_take(c, s);	/* one at a time, every check made */
			continue;
		}
		/* as many as the slab has, its counts and lists fixed once */
		unsigned took = 0;
		bool was_empty = s->inuse == 0;
		while (got + took < n && s->free != SLAB_END) {
			unsigned i = s->free;
			objs[got + took++] = slot_obj(c, s, i);
			s->free = s->bufctl[i];
		}
		got += took;
		s->inuse += took;
		c->active_objs += took;
		if (was_empty || s->inuse == c->per_slab) {
			list_del(&s->link);
			list_add(&s->link, s->inuse == c->per_slab ? &c->full : &c->partial);
		}
	}
	if (got > n)
		got = 0;
	irq_restore(was);
	if (got < n) {
		kmem_cache_free_bulk(c, got, objs);
		return -ENOMEM;
	}
	return 0;
}

/* The slab holding obj if obj is an object slot of cache c, else NULL. */
static inline __attribute__((always_inline))
struct slab *obj_slab(struct kmem_cache *c, const void *obj, unsigned *index)
{
	uintptr_t a = (uintptr_t)obj;
	struct page *pg;
	struct slab *s;

	if (a < KERNBASE || V2P(a) >= (paddr_t)max_pfn << PGSHIFT)
		return NULL;
	pg = virt_to_page(obj);
	if (!(pg->flags & PG_slab))
		return NULL;
	s = (struct slab *)pg->private;
	if (s->cache != c || (uint8_t *)a < s->mem + c->offset)
		return NULL;
	uintptr_t off = a - (uintptr_t)s->mem - c->offset;
	if (off % c->size || off / c->size >= c->per_slab)
		return NULL;
	*index = off / c->size;
	return s;
}

/* slab_check_free, also handing back obj's slab and slot for the free itself. */
static inline __attribute__((always_inline))
const char *check_free(struct kmem_cache *c, void *obj, struct slab **sp, unsigned *ip)
{
	struct slab *s = *sp = obj_slab(c, obj, ip);

	if (!s)
		return "not an object of this cache (foreign pointer)";
	if (c->flags & SLAB_REDZONE) {
		uint32_t f = *rz_front(obj), b = *rz_back(c, obj);
		if (f == RZ_FREE && b == RZ_FREE)
			return "already free (double free)";
		if (f != RZ_ACTIVE)
			return "red zone before the object overwritten";
		if (b != RZ_ACTIVE)
			return "red zone after the object overwritten (overrun)";
	}
	if (s->inuse == 0)
		return "its slab has no allocated objects (double free)";
	return NULL;
}

const char *slab_check_free(struct kmem_cache *c, void *obj)
{
	struct slab *s;
	unsigned i;

	return check_free(c, obj, &s, &i);
}

/* Put obj, slot i of slab s of c, back on the free list; interrupts off. */
static inline __attribute__((always_inline))
void put_slot(struct kmem_cache *c, struct slab *s, unsigned i, void *obj)
{
	obj_mark_free(c, obj);
	s->bufctl[i] = s->free;
	s->free = i;
	s->inuse--;
	c->active_objs--;
	if (s->inuse == 0 || s->inuse == c->per_slab - 1) {	/* it changes lists */
		list_del(&s->link);
		list_add(&s->link, s->inuse ? &c->partial : &c->empty);
	}
}

/* Give obj back to c, interrupts off; a bad free panics. Returns obj's slab. */
static inline __attribute__((always_inline)) struct slab *put_one(struct kmem_cache *c, void *obj)
{
	unsigned i;
	const char *why;
	struct slab *s;

	if ((why = check_free(c, obj, &s, &i)) != NULL)
		panic("kmem_cache_free(%s, %p): %s", c->name, obj, why);
	put_slot(c, s, i, obj);
	return s;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	int was = irq_save();

	put_one(c, obj);
	irq_restore(was);
}

void kmem_cache_free_bulk(struct kmem_cache *c, size_t n, void **objs)
{
	uint32_t span = c->per_slab * c->size;
	int was = irq_save();

	for (size_t k = 0; k < n;) {
		const char *why;
		struct slab *s;
		unsigned i;

		if (c->flags & (SLAB_POISON | SLAB_REDZONE)) {
			put_one(c, objs[k++]);		/* one at a time, every check made */
			continue;
		}
		if ((why = check_free(c, objs[k], &s, &i)) != NULL)
			panic("kmem_cache_free(%s, %p): %s", c->name, objs[k], why);
		/* a run of objects in this slab: its checks hold, its lists change once */
		bool was_full = s->inuse == c->per_slab;
		unsigned run = 0;		/* objects of this run given back */
		uint32_t off;
		do {
			s->bufctl[i] = s->free;
			s->free = i;
			if (++k == n || ++run == s->inuse)
				break;
			off = (uintptr_t)objs[k] - (uintptr_t)s->mem - c->offset;
			i = off / c->size;
		} while (off < span && i * c->size == off);
		run += k == n;			/* (the break above skipped its count) */
		s->inuse -= run;
		c->active_objs -= run;
		if (s->inuse == 0 || was_full) {
			list_del(&s->link);
			list_add(&s->link, s->inuse ? &c->partial : &c->empty);
		}
	}
	irq_restore(was);
}


static void slab_destroy(struct kmem_cache *c, struct slab *s)
{
	struct page *pg = virt_to_page(s);

	list_del(&s->link);
	for (unsigned i = 0; i < (1u << c->order); i++) {
		pg[i].flags &= ~PG_slab;
		pg[i].private = 0;
	}
	c->total_objs -= c->per_slab;
	c->total_slabs--;
	free_pages(pg, c->order);
}

/* ---- relocation ---- */

#define MOVER_MAX_PER_SLAB	256	/* the live-slot bitmap below is on the stack */

int kmem_cache_set_mover(struct kmem_cache *c, const struct kmem_mover *m)
{
	if (c->per_slab > MOVER_MAX_PER_SLAB || !m->isolate || !m->putback || !m->migrate)
		return -EINVAL;
	c->mover = m;
	return 0;
}

/* Mark in live[] the allocated slots of s: those not on its free chain. */
static void live_slots(const struct kmem_cache *c, const struct slab *s, uint32_t *live)
{
	unsigned words = (c->per_slab + 31) / 32;

	for (unsigned w = 0; w < words; w++)
		live[w] = ~0u;
	for (unsigned i = s->free; i != SLAB_END; i = s->bufctl[i])
		live[i / 32] &= ~(1u << (i % 32));
}

static bool is_live(const uint32_t *live, unsigned i)
{
	return live[i / 32] & (1u << (i % 32));
}

/* The partial slab of c with the fewest objects that this evacuation has
   not given up on; NULL if none. Interrupts off. */
static struct slab *sparsest(struct kmem_cache *c)
{
	struct slab *best = NULL;
	struct list_head *pos;

	list_for_each(pos, &c->partial) {
		struct slab *s = list_entry(pos, struct slab, link);
		if (s->evac_gen != c->evac_gen && (!best || s->inuse < best->inuse))
			best = s;
	}
	return best;
}

/* The partial slab of c other than not with the most objects; NULL if none. */
static struct slab *fullest(struct kmem_cache *c, const struct slab *not)
{
	struct slab *best = NULL;
	struct list_head *pos;

	list_for_each(pos, &c->partial) {
		struct slab *s = list_entry(pos, struct slab, link);
		if (s != not && (!best || s->inuse > best->inuse))
			best = s;
	}
	return best;
}

/* Free slots in c's partial slabs other than v. */
static unsigned room_besides(struct kmem_cache *c, const struct slab *v)
{
	struct list_head *pos;
	unsigned room = 0;

	list_for_each(pos, &c->partial) {
		struct slab *s = list_entry(pos, struct slab, link);
		if (s != v)
			room += c->per_slab - s->inuse;
	}
	return room;
}

/* Put back the isolated objects of v among live[] before slot end. */
static void putback_upto(struct kmem_cache *c, struct slab *v, const uint32_t *live, unsigned end)
{
	for (unsigned i = 0; i < end; i++)
		if (is_live(live, i))
			c->mover->putback(slot_obj(c, v, i));
}

/* Move one isolated object out of v (slot i) into a slot of d; KMEM_MOVED,
   KMEM_DROPPED or the owner's refusal (then obj is unpinned and stays). */
static int move_one(struct kmem_cache *c, struct slab *v, unsigned i, struct slab *d)
{
	void *obj = slot_obj(c, v, i), *to = slab_take(c, d);
	unsigned j = (uintptr_t)((uint8_t *)to - d->mem - c->offset) / c->size;
	int r = c->mover->migrate(obj, to);

	if (r == KMEM_MOVED) {
		c->moved++;
	} else {
		put_slot(c, d, j, to);
		if (r != KMEM_DROPPED)
			return r;
		c->dropped++;
	}
	put_slot(c, v, i, obj);
	return r;
}

/*
 * Empty v into the fullest other partial slabs: isolate every live object
 * first (any refusal: put them all back, -EBUSY, nothing moved), then move
 * them one by one. 0 when v is empty. Interrupts off; the caller checked
 * that the other partial slabs have room for all of v's objects.
 */
static int evacuate_slab(struct kmem_cache *c, struct slab *v)
{
	uint32_t live[MOVER_MAX_PER_SLAB / 32];
	struct slab *d = NULL;

	live_slots(c, v, live);
	for (unsigned i = 0; i < c->per_slab; i++) {
		if (is_live(live, i) && !c->mover->isolate(slot_obj(c, v, i))) {
			putback_upto(c, v, live, i);
			return -EBUSY;
		}
	}
	for (unsigned i = 0; i < c->per_slab; i++) {
		if (!is_live(live, i))
			continue;
		if (!d || d->inuse == c->per_slab)
			d = fullest(c, v);
		KASSERT(d != NULL);		/* the caller saw the room */
		int r = move_one(c, v, i, d);
		if (r < 0) {			/* refused after all: the rest stay too */
			for (unsigned k = i + 1; k < c->per_slab; k++)
				if (is_live(live, k))
					c->mover->putback(slot_obj(c, v, k));
			return r;
		}
	}
	KASSERT(v->inuse == 0);
	return 0;
}

unsigned kmem_cache_evacuate(struct kmem_cache *c, unsigned max_pages)
{
	unsigned pages = 0;

	if (!c->mover)
		return 0;
	c->evac_gen++;				/* forget the slabs the last run gave up on */
	while (!max_pages || pages < max_pages) {
		int was = irq_save();
		struct slab *v = sparsest(c);
		if (!v || room_besides(c, v) < v->inuse) {
			irq_restore(was);
			break;			/* no other slab can take its objects */
		}
		if (evacuate_slab(c, v) == 0) {
			slab_destroy(c, v);
			c->evacuated++;
			pages += 1u << c->order;
		} else {
			v->evac_gen = c->evac_gen;	/* pinned: not again this run */
		}
		irq_restore(was);		/* an interrupt may come between slabs */
	}
	return pages;
}

void *kmem_cache_relocate(struct kmem_cache *c, void *obj)
{
	struct slab *v, *d;
	unsigned i;
	void *to = NULL;
	int was;

	if (!c->mover)
		return NULL;
	was = irq_save();
	if (!(v = obj_slab(c, obj, &i)))
		panic("kmem_cache_relocate(%s, %p): not an object of this cache", c->name, obj);
	if (!c->mover->isolate(obj))
		goto out;
	d = fullest(c, v);			/* another slab: a partial one, else empty, else new */
	if (!d && !list_empty(&c->empty))
		d = list_entry(c->empty.next, struct slab, link);
	if (!d && cache_grow(c) == 0)
		d = list_entry(c->empty.next, struct slab, link);
	if (!d) {
		c->mover->putback(obj);
		goto out;
	}
	to = slab_take(c, d);
	int r = c->mover->migrate(obj, to);
	if (r == KMEM_MOVED) {
		c->moved++;
		put_slot(c, v, i, obj);
	} else {
		unsigned j = (uintptr_t)((uint8_t *)to - d->mem - c->offset) / c->size;
		put_slot(c, d, j, to);
		to = NULL;
		if (r == KMEM_DROPPED) {
			c->dropped++;
			put_slot(c, v, i, obj);
		}
	}
out:
	irq_restore(was);
	return to;
}

/* One line of the slab map: a character per slot of s, if it fits in size. */
static int slab_map_line(const struct kmem_cache *c, const struct slab *s, char *buf, size_t size)
{
	if (c->per_slab + 2 > size)
		return 0;
	memset(buf, '#', c->per_slab);
	for (unsigned i = s->free; i != SLAB_END; i = s->bufctl[i])
		buf[i] = '.';
	buf[c->per_slab] = '\n';
	buf[c->per_slab + 1] = '\0';
	return c->per_slab + 1;
}

int slab_map_text(const struct kmem_cache *c, char *buf, size_t size)
{
	const struct list_head *lists[] = { &c->full, &c->partial, &c->empty };
	int was = irq_save(), n = 0;

	for (unsigned l = 0; l < 3; l++) {
		for (const struct list_head *pos = lists[l]->next; pos != lists[l]; pos = pos->next) {
			int k = slab_map_line(c, list_entry(pos, struct slab, link), buf + n, size - n);
			if (k == 0)
				goto out;	/* no room for the rest */
			n += k;
		}
	}
out:
	irq_restore(was);
	return n;
}

/* (not inlined: one place for a breakpoint, as docs/slab.md sets one) */
__attribute__((noinline)) unsigned kmem_cache_shrink(struct kmem_cache *c)
{
	unsigned pages = 0;
	int was = irq_save();

	while (!list_empty(&c->empty)) {
		slab_destroy(c, list_entry(c->empty.next, struct slab, link));
		pages += 1u << c->order;
	}
	irq_restore(was);
	return pages;
}

unsigned slab_shrink_all(void)
{
	struct list_head *pos;
	unsigned pages = 0;

	list_for_each(pos, &all_caches)
		pages += kmem_cache_shrink(list_entry(pos, struct kmem_cache, link));
	return pages;
}

unsigned long slab_active_objects(void)
{
	struct list_head *pos;
	unsigned long n = 0;

	list_for_each(pos, &all_caches)
		n += list_entry(pos, struct kmem_cache, link)->active_objs;
	return n;
}

static void slab_settle(void)
{
	slab_shrink_all();
}

/* After each self-test every slab object it allocated must be freed again. */
RESOURCE_COUNT(slab_objects, "slab objects", 1, slab_settle, slab_active_objects);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     void (*ctor)(void *), unsigned flags)
{
	struct kmem_cache *c;

	if (size == 0 || size > (PGSIZE << SLAB_MAX_ORDER) / 2)
		return NULL;
	c = kmem_cache_alloc(&cache_cache);
	if (!c)
		return NULL;
	if (cache_setup(c, name, size, align, ctor, flags) < 0) {
		kmem_cache_free(&cache_cache, c);
		return NULL;
	}
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	if (c->active_objs) {
		printk(KERN_WARNING "kmem_cache_destroy(%s): %lu objects still allocated\n",
		       c->name, c->active_objs);
		return -EBUSY;
	}
	kmem_cache_shrink(c);
	list_del(&c->link);
	kmem_cache_free(&cache_cache, c);
	return 0;
}

struct kmem_cache *kmem_cache_of(const void *obj)
{
	struct page *pg = virt_to_page(obj);

	KASSERT(pg->flags & PG_slab);
	return ((struct slab *)pg->private)->cache;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct list_head *pos;

	list_for_each(pos, &all_caches) {
		struct kmem_cache *c = list_entry(pos, struct kmem_cache, link);
		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

int slabinfo_line(const struct kmem_cache *c, char *buf, size_t size)
{
	unsigned long active_slabs = c->total_slabs;
	struct list_head *pos;

	list_for_each(pos, &c->empty)
		active_slabs--;
	int n = snprintf(buf, size, "%-17s %6lu %6lu %6u %4lu %4lu %4u",
			 c->name, c->active_objs, c->total_objs, (unsigned)c->size,
			 active_slabs, c->total_slabs, 1u << c->order);
	/* utilisation: allocated slots of all slots (none: a dash) */
	if (c->total_objs)
		n += snprintf(buf + n, size - n, " %3lu%%", c->active_objs * 100 / c->total_objs);
	else
		n += snprintf(buf + n, size - n, "    -");
	return n + snprintf(buf + n, size - n, " %6lu", c->moved);
}

/* The two lines above the caches, for both the console and sysinfo. */
#define SLABINFO_HEAD	"slabinfo - version: 1.1\n" \
			"# name            active  total objsz actv slabs pages use%  moved\n"

int slabinfo_text(char *buf, size_t size)
{
	struct list_head *pos;
	int n = snprintf(buf, size, "%s", SLABINFO_HEAD);

	list_for_each(pos, &all_caches) {
		if ((size_t)n + 96 >= size)
			break;
		n += slabinfo_line(list_entry(pos, struct kmem_cache, link), buf + n, size - n);
		n += snprintf(buf + n, size - n, "\n");
	}
	return n;
}

void slabinfo_print(void)
{
	struct list_head *pos;
	char line[96];

	printk("%s", SLABINFO_HEAD);
	list_for_each(pos, &all_caches) {
		slabinfo_line(list_entry(pos, struct kmem_cache, link), line, sizeof(line));
		printk("%s\n", line);
	}
}

void slab_init(void)
{
	debug_all = slab_debug ? SLAB_DEBUG : 0;
	if (cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0,
			NULL, 0) < 0)
		panic("slab_init: cannot set up the cache of caches");
}
