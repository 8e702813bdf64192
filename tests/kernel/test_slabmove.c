/*
 * tests/kernel/test_slabmove.c: the slab layer's relocation on its own
 * (slabmove.*), with a movable test cache whose owner is a table of
 * pointers: every object is pointed at from exactly one table entry, and
 * the mover fixes that entry. Flags in an object make its owner keep it
 * (a reference from outside), refuse at the last moment, or drop it.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/slab.h"
#include "tests/kernel/ktest.h"

#define NT	640		/* objects a test may have */
#define TMAGIC	0x70b1ec75u

struct tobj {
	uint32_t magic;		/* TMAGIC ^ index: the contents survive a move */
	uint32_t index;		/* the table entry pointing at it */
	uint32_t payload[10];
	bool pinned;		/* referenced from outside the owner: may not move */
	bool refuse;		/* the owner says no at migrate time */
	bool drop;		/* the owner would rather free it */
	bool isolated;
};

static struct tobj *table[NT];
static unsigned isolations, putbacks;

static bool t_isolate(void *obj)
{
	struct tobj *o = obj;

	KASSERT(!o->isolated);
	if (o->pinned)
		return false;
	o->isolated = true;
	isolations++;
	return true;
}

static void t_putback(void *obj)
{
	struct tobj *o = obj;

	KASSERT(o->isolated);
	o->isolated = false;
	putbacks++;
}

static int t_migrate(void *obj, void *to)
{
	struct tobj *o = obj, *n = to;

	KASSERT(o->isolated && table[o->index] == o);
	o->isolated = false;
	if (o->refuse)
		return -EBUSY;
	if (o->drop) {
		table[o->index] = NULL;
		return KMEM_DROPPED;
	}
	memcpy(n, o, sizeof(*n));
	table[o->index] = n;
	memset(o, 0, sizeof(*o));
	return KMEM_MOVED;
}

static const struct kmem_mover tmover = { t_isolate, t_putback, t_migrate };

/* A movable cache with n objects in table[0..n). */
static struct kmem_cache *make(unsigned n, unsigned flags)
{
	struct kmem_cache *c = kmem_cache_create("test-move", sizeof(struct tobj), 0, NULL,
						 flags | SLAB_NO_COLOUR);

	memset(table, 0, sizeof(table));
	isolations = putbacks = 0;
	if (!c || kmem_cache_set_mover(c, &tmover) < 0)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		struct tobj *o = kmem_cache_alloc(c);
		if (!o)
			return NULL;
		memset(o, 0, sizeof(*o));
		o->index = i;
		o->magic = TMAGIC ^ i;
		for (unsigned k = 0; k < 10; k++)
			o->payload[k] = i * 10 + k;
		table[i] = o;
	}
	return c;
}

/* Free table entries at random (fixed seed) until keep remain. */
static void thin(struct kmem_cache *c, unsigned n, unsigned keep, uint32_t seed)
{
	unsigned left = n;

	while (left > keep) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % n;
		if (table[i]) {
			kmem_cache_free(c, table[i]);
			table[i] = NULL;
			left--;
		}
	}
}

/* Objects whose contents are not what make() wrote, over the table. */
static unsigned damaged(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < NT; i++) {
		struct tobj *o = table[i];
		if (!o)
			continue;
		bad += o->magic != (TMAGIC ^ i) || o->index != i || o->isolated;
		for (unsigned k = 0; k < 10; k++)
			bad += o->payload[k] != i * 10 + k;
	}
	return bad;
}

static unsigned live(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NT; i++)
		n += table[i] != NULL;
	return n;
}

static void destroy(struct kmem_cache *c)
{
	for (unsigned i = 0; i < NT; i++)
		if (table[i])
			kmem_cache_free(c, table[i]);
	memset(table, 0, sizeof(table));
	kmem_cache_destroy(c);
}

KTEST(slabmove, evacuation_packs_objects_into_fewest_slabs)
{
	struct kmem_cache *c = make(NT, 0);

	KT_ASSERT(c != NULL);
	unsigned per = c->per_slab, slabs0 = c->total_slabs;
	thin(c, NT, NT / 5, 7);			/* the 2002 picture: a fifth left, everywhere */
	kmem_cache_shrink(c);
	unsigned slabs1 = c->total_slabs;
	KT_EXPECT(slabs1 > slabs0 / 2);		/* pruning alone freed few slabs */
	unsigned long moved0 = c->moved;
	unsigned pages = kmem_cache_evacuate(c, 0);
	unsigned need = (NT / 5 + per - 1) / per;
	KT_EXPECT_EQ(c->total_slabs, need);	/* as few as the objects need */
	KT_EXPECT_EQ(pages, (slabs1 - need) << c->order);
	KT_EXPECT(c->moved > moved0);
	KT_EXPECT_EQ(live(), NT / 5);
	KT_EXPECT_EQ(damaged(), 0);
	KT_EXPECT_EQ(c->active_objs, NT / 5);
	KT_EXPECT_EQ(isolations, c->moved - moved0);	/* every isolated object moved */
	KT_EXPECT_EQ(putbacks, 0);
	destroy(c);
}

KTEST(slabmove, pinned_objects_never_move_and_keep_their_slab)
{
	struct kmem_cache *c = make(NT, 0);
	struct tobj *pinned[4];
	unsigned k = 0;

	KT_ASSERT(c != NULL);
	thin(c, NT, NT / 4, 11);
	for (unsigned i = 0; i < NT && k < 4; i++)	/* four objects referenced from outside, */
		if (table[i]) {				/* far apart: in different slabs */
			table[i]->pinned = true;
			pinned[k++] = table[i];
			i += NT / 8;
		}
	KT_ASSERT_EQ(k, 4);
	kmem_cache_shrink(c);
	kmem_cache_evacuate(c, 0);
	for (unsigned j = 0; j < 4; j++) {
		KT_EXPECT(table[pinned[j]->index] == pinned[j]);	/* still where it was */
		KT_EXPECT(pinned[j]->magic == (TMAGIC ^ pinned[j]->index));
	}
	KT_EXPECT_EQ(damaged(), 0);
	KT_EXPECT_EQ(live(), NT / 4);
	KT_EXPECT_EQ(isolations, putbacks + (unsigned)c->moved);	/* nothing left pinned */
	destroy(c);
}

KTEST(slabmove, refusal_and_drop)
{
	struct kmem_cache *c = make(NT, 0);
	unsigned refused = 0, dropped = 0;

	KT_ASSERT(c != NULL);
	thin(c, NT, NT / 5, 13);
	for (unsigned i = 0; i < NT; i++) {
		if (!table[i])
			continue;
		if (i % 31 == 0)
			table[i]->refuse = true, refused++;
		else if (i % 5 == 0)
			table[i]->drop = true, dropped++;
	}
	kmem_cache_shrink(c);
	unsigned slabs0 = c->total_slabs;
	kmem_cache_evacuate(c, 0);
	KT_EXPECT(c->total_slabs < slabs0);
	KT_EXPECT(c->dropped > 0);
	KT_EXPECT_EQ(live(), NT / 5 - (unsigned)c->dropped);	/* drops freed, nothing lost */
	KT_EXPECT_EQ(c->active_objs, live());
	KT_EXPECT_EQ(damaged(), 0);
	unsigned still_refusing = 0;
	for (unsigned i = 0; i < NT; i++)
		still_refusing += table[i] && table[i]->refuse;
	KT_EXPECT_EQ(still_refusing, refused);		/* a refusal never loses the object */
	KT_EXPECT(c->dropped <= dropped);
	destroy(c);
}

KTEST(slabmove, evacuation_never_grows_the_cache)
{
	struct kmem_cache *c = make(NT, 0);

	KT_ASSERT(c != NULL);
	/* every slab half full: no slab's objects fit in the others' holes?
	   they do, in pairs; so evacuation frees about half and stops */
	for (unsigned i = 0; i < NT; i += 2)
		if (table[i]) {
			kmem_cache_free(c, table[i]);
			table[i] = NULL;
		}
	unsigned slabs0 = c->total_slabs;
	kmem_cache_evacuate(c, 0);
	KT_EXPECT(c->total_slabs <= slabs0);
	KT_EXPECT(c->total_slabs <= (live() + c->per_slab - 1) / c->per_slab + 1);
	KT_EXPECT_EQ(damaged(), 0);
	/* a full cache: nothing can move anywhere */
	destroy(c);
	c = make(0, 0);
	KT_ASSERT(c != NULL);
	for (unsigned i = 0; i < c->per_slab * 3; i++) {
		table[i] = kmem_cache_alloc(c);
		KT_ASSERT(table[i] != NULL);
		memset(table[i], 0, sizeof(struct tobj));
		table[i]->index = i;
		table[i]->magic = TMAGIC ^ i;
		for (unsigned k = 0; k < 10; k++)
			table[i]->payload[k] = i * 10 + k;
	}
	KT_EXPECT_EQ(kmem_cache_evacuate(c, 0), 0);
	KT_EXPECT_EQ(c->total_slabs, 3);
	KT_EXPECT_EQ(isolations, 0);
	destroy(c);
}

KTEST(slabmove, debug_caches_keep_their_checks)
{
	/* poison and red zones: a moved-from slot is checked when reused */
	struct kmem_cache *c = make(NT / 2, SLAB_DEBUG);

	KT_ASSERT(c != NULL);
	thin(c, NT / 2, NT / 10, 17);
	kmem_cache_evacuate(c, 0);
	KT_EXPECT_EQ(damaged(), 0);
	for (unsigned i = 0; i < NT / 2; i++)
		if (table[i])
			KT_EXPECT(slab_check_free(c, table[i]) == NULL);
	for (unsigned i = 0; i < 50; i++) {	/* reuse the freed slots: poison intact */
		void *o = kmem_cache_alloc(c);
		KT_ASSERT(o != NULL);
		kmem_cache_free(c, o);
	}
	destroy(c);
}

KTEST(slabmove, relocate_one_and_slab_map)
{
	struct kmem_cache *c = make(3, 0);
	char map[256];

	KT_ASSERT(c != NULL);
	struct tobj *o = table[1];
	struct tobj *n = kmem_cache_relocate(c, o);
	KT_ASSERT(n != NULL);
	KT_EXPECT(n != o && table[1] == n);
	KT_EXPECT(kmem_cache_of(n) == c);
	KT_EXPECT_EQ(damaged(), 0);
	KT_EXPECT_EQ(c->total_slabs, 2);		/* to another slab: a new one here */
	int len = slab_map_text(c, map, sizeof(map));
	KT_EXPECT_EQ(len, 2 * ((int)c->per_slab + 1));
	unsigned hashes = 0;
	for (int i = 0; i < len; i++)
		hashes += map[i] == '#';
	KT_EXPECT_EQ(hashes, 3);
	table[1]->pinned = true;
	KT_EXPECT(kmem_cache_relocate(c, table[1]) == NULL);	/* the owner said no */
	KT_EXPECT(table[1] == n);
	destroy(c);
}
