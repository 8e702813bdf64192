/*
 * tests/kernel/test_slab.c: object caches, kmalloc and the debug checks.
 * Objects are chained through their own first word wherever a test needs
 * to remember many of them, so the tests need no memory of their own.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "tests/kernel/ktest.h"

struct chain {
	struct chain *next;
};

/* Allocate n objects (n = 0: until memory runs out) onto *head; return the count. */
static unsigned fill(struct kmem_cache *c, unsigned n, struct chain **head)
{
	unsigned got = 0;
	struct chain *o;

	while ((n == 0 || got < n) && (o = kmem_cache_alloc(c)) != NULL) {
		o->next = *head;
		*head = o;
		got++;
	}
	return got;
}

static void drain(struct kmem_cache *c, struct chain **head)
{
	while (*head) {
		struct chain *o = *head;
		*head = o->next;
		kmem_cache_free(c, o);
	}
}

KTEST(slab, alloc_free_distinct)
{
	struct kmem_cache *c = kmem_cache_create("test-40", 40, 0, NULL, 0);
	struct chain *head = NULL;
	unsigned dup = 0;

	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ(fill(c, 1000, &head), 1000);
	KT_EXPECT_EQ(c->active_objs, 1000);
	for (struct chain *o = head; o; o = o->next)
		memset(o + 1, 0x5a, 40 - sizeof(*o));	/* every byte is ours */
	for (struct chain *o = head; o && dup == 0; o = o->next)
		for (struct chain *p = o->next; p; p = p->next)
			dup += (uintptr_t)p < (uintptr_t)o + 40 && (uintptr_t)o < (uintptr_t)p + 40;
	KT_EXPECT_EQ(dup, 0);
	drain(c, &head);
	KT_EXPECT_EQ(c->active_objs, 0);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, grow_shrink)
{
	struct kmem_cache *c = kmem_cache_create("test-grow", 100, 0, NULL, 0);
	struct chain *head = NULL;
	uint32_t free0 = page_free_count();

	KT_ASSERT(c != NULL);
	fill(c, c->per_slab * 3 + 1, &head);
	KT_EXPECT_EQ(c->total_slabs, 4);
	KT_EXPECT_EQ(c->total_objs, c->per_slab * 4);
	KT_EXPECT_EQ(page_free_count(), free0 - (4u << c->order));
	drain(c, &head);
	KT_EXPECT_EQ(c->total_slabs, 4);		/* empty slabs are kept... */
	KT_EXPECT_EQ(kmem_cache_shrink(c), 4u << c->order);	/* ...until shrunk */
	KT_EXPECT_EQ(c->total_slabs, 0);
	KT_EXPECT_EQ(page_free_count(), free0);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, alignment)
{
	static const size_t aligns[] = { 4, 8, 16, 64, 256, 1024 };

	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		struct kmem_cache *c = kmem_cache_create("test-align", 24, aligns[i], NULL, 0);
		struct chain *head = NULL;
		unsigned bad = 0;

		KT_ASSERT(c != NULL);
		fill(c, 2 * c->per_slab + 3, &head);
		for (struct chain *o = head; o; o = o->next)
			bad += ((uintptr_t)o & (aligns[i] - 1)) != 0;
		KT_EXPECT_EQ(bad, 0);
		drain(c, &head);
		KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
	}
	KT_EXPECT(kmem_cache_create("test-bad", 24, 24, NULL, 0) == NULL);
	KT_EXPECT(kmem_cache_create("test-zero", 0, 0, NULL, 0) == NULL);
}

static unsigned ctor_calls;

static void ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0xc7, 64);
}

KTEST(slab, constructor_runs_once_per_object)
{
	struct kmem_cache *c = kmem_cache_create("test-ctor", 64, 0, ctor, 0);
	uint8_t *o;

	KT_ASSERT(c != NULL);
	ctor_calls = 0;
	/* under slab_debug, poison destroys the state: construct at each alloc */
	unsigned per_grow = (c->flags & SLAB_POISON) ? 1 : c->per_slab;
	o = kmem_cache_alloc(c);
	KT_ASSERT(o != NULL);
	KT_EXPECT_EQ(ctor_calls, per_grow);	/* the whole slab, at growth */
	KT_EXPECT_EQ(o[0], 0xc7);
	KT_EXPECT_EQ(o[63], 0xc7);
	kmem_cache_free(c, o);			/* freed in constructed state */
	o = kmem_cache_alloc(c);
	KT_EXPECT_EQ(ctor_calls, (c->flags & SLAB_POISON) ? 2 : c->per_slab);
	KT_EXPECT_EQ(o[17], 0xc7);
	kmem_cache_free(c, o);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, colouring_staggers_slabs)
{
	struct kmem_cache *c = kmem_cache_create("test-colour", 200, 0, NULL, 0);
	struct chain *head = NULL;
	uintptr_t first[3] = { ~0u, ~0u, ~0u };

	KT_ASSERT(c != NULL);
	KT_ASSERT(c->colour_max >= 1);
	fill(c, 3 * c->per_slab, &head);
	KT_EXPECT_EQ(c->total_slabs, 3);
	/* the lowest object offset in each slab: 0, one colour, then around again */
	for (struct chain *o = head; o; o = o->next) {
		uintptr_t off = (uintptr_t)o & (PGSIZE - 1), page = (uintptr_t)o >> PGSHIFT;
		unsigned n = 0;
		for (struct chain *p = head; p; p = p->next)
			n += ((uintptr_t)p >> PGSHIFT) < page;	/* rank of its slab */
		n /= c->per_slab;
		if (n < 3 && off < first[n])
			first[n] = off;
	}
	KT_EXPECT(first[0] != first[1]);
	drain(c, &head);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, many_caches)
{
	struct kmem_cache *cs[40];
	char name[KMEM_NAME];

	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "test-many-%d", i);
		cs[i] = kmem_cache_create(name, 8 + i * 37, 0, NULL, 0);
		KT_ASSERT(cs[i] != NULL);
		KT_EXPECT(kmem_cache_find(name) == cs[i]);
	}
	for (int i = 0; i < 40; i++) {
		struct chain *head = NULL;
		KT_EXPECT_EQ(fill(cs[i], 50, &head), 50);
		drain(cs[i], &head);
	}
	for (int i = 0; i < 40; i++)
		KT_EXPECT_EQ(kmem_cache_destroy(cs[i]), 0);
	KT_EXPECT(kmem_cache_find("test-many-0") == NULL);
}

KTEST(slab, destroy_refuses_busy_cache)
{
	struct kmem_cache *c = kmem_cache_create("test-busy", 32, 0, NULL, 0);
	void *o;

	KT_ASSERT(c != NULL);
	o = kmem_cache_alloc(c);
	KT_EXPECT_EQ(kmem_cache_destroy(c), -EBUSY);
	kmem_cache_free(c, o);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, kmalloc_size_classes)
{
	static const struct { size_t ask; const char *cache; } cases[] = {
		{ 1, "size-8" }, { 8, "size-8" }, { 9, "size-16" }, { 33, "size-64" },
		{ 65, "size-96" }, { 100, "size-128" }, { 129, "size-192" },
		{ 2048, "size-2048" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *p = kmalloc(cases[i].ask);
		KT_ASSERT(p != NULL);
		KT_EXPECT_STREQ(kmem_cache_of(p)->name, cases[i].cache);
		KT_EXPECT(ksize(p) >= cases[i].ask);
		memset(p, 0xee, cases[i].ask);
		kfree(p);
	}
	uint8_t *big = kmalloc(5000);
	KT_ASSERT(big != NULL);
	KT_EXPECT_EQ((uintptr_t)big & (PGSIZE - 1), 0);	/* page allocator path */
	KT_EXPECT_EQ(ksize(big), 8192);
	memset(big, 1, 5000);
	kfree(big);
	KT_EXPECT(kmalloc(0) == NULL);
	KT_EXPECT(kmalloc(64u << 20) == NULL);		/* beyond the largest block */
	uint32_t *z = kzalloc(300);
	KT_ASSERT(z != NULL);
	KT_EXPECT_EQ(z[0] | z[74], 0);
	kfree(z);
	kfree(NULL);
}

KTEST(slab, exhaustion_returns_null)
{
	struct kmem_cache *c = kmem_cache_create("test-exhaust", 2000, 0, NULL, 0);
	struct chain *head = NULL;
	unsigned n;

	KT_ASSERT(c != NULL);
	n = fill(c, 0, &head);			/* until the page allocator says no */
	KT_EXPECT(n > 1000);
	KT_EXPECT(kmem_cache_alloc(c) == NULL);
	KT_EXPECT(kmalloc(3000) == NULL || page_free_count() > 0);
	KT_EXPECT(alloc_pages(c->order) == NULL);
	drain(c, &head);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, debug_checks_name_the_problem)
{
	struct kmem_cache *c = kmem_cache_create("test-debug", 48, 0, NULL, SLAB_DEBUG);
	struct kmem_cache *other = kmem_cache_create("test-other", 48, 0, NULL, 0);
	uint8_t *o, *x;
	uint8_t saved;

	KT_ASSERT(c != NULL && other != NULL);
	o = kmem_cache_alloc(c);
	x = kmem_cache_alloc(other);
	KT_EXPECT(slab_check_free(c, o) == NULL);
	KT_EXPECT(strstr(slab_check_free(c, o + 4), "foreign") != NULL);
	KT_EXPECT(strstr(slab_check_free(c, x), "foreign") != NULL);
	saved = o[48];
	o[48] = 0;				/* write one byte past the end */
	KT_EXPECT(strstr(slab_check_free(c, o), "overrun") != NULL);
	o[48] = saved;
	kmem_cache_free(c, o);
	KT_EXPECT_EQ(o[10], 0x6b);		/* poisoned */
	KT_EXPECT(strstr(slab_check_free(c, o), "double free") != NULL);
	kmem_cache_free(other, x);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
	KT_EXPECT_EQ(kmem_cache_destroy(other), 0);
}

KTEST(slab, slabinfo_columns)
{
	struct kmem_cache *c = kmem_cache_create("test-info", 100, 0, NULL, SLAB_NO_COLOUR);
	char line[96], want[96];
	struct chain *head = NULL;

	KT_ASSERT(c != NULL);
	fill(c, c->per_slab + 1, &head);
	slabinfo_line(c, line, sizeof(line));
	snprintf(want, sizeof(want), "%-17s %6u %6u %6u %4u %4u %4u %3u%% %6u", "test-info",
		 c->per_slab + 1, 2 * c->per_slab, (unsigned)c->size, 2, 2, 1,
		 (c->per_slab + 1) * 100 / (2 * c->per_slab), 0);
	KT_EXPECT_STREQ(line, want);
	drain(c, &head);
	kmem_cache_shrink(c);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST_FLAGS(slab, double_free_panics, KTEST_MANUAL)
{
	struct kmem_cache *c = kmem_cache_create("test-df", 32, 0, NULL, SLAB_DEBUG);
	void *o;

	KT_ASSERT(c != NULL);
	o = kmem_cache_alloc(c);
	kmem_cache_free(c, o);
	kmem_cache_free(c, o);		/* must panic: "already free (double free)" */
}

KTEST_FLAGS(slab, use_after_free_panics, KTEST_MANUAL)
{
	struct kmem_cache *c = kmem_cache_create("test-uaf", 32, 0, NULL, 0);
	uint8_t *o;

	KT_ASSERT(c != NULL);
	o = kmem_cache_alloc(c);	/* debug from the boot option slab_debug */
	kmem_cache_free(c, o);
	o[5] = 1;			/* write after free */
	kmem_cache_alloc(c);		/* must panic: "modified after free" */
}

/* The bulk calls: what kmem_cache_alloc and kmem_cache_free do, many at once. */
static void bulk_round(struct ktest_ctx *t, unsigned flags)
{
	struct kmem_cache *c = kmem_cache_create("test-bulk", 40, 0, NULL, flags);
	static void *objs[700];
	uint32_t rng = 7;

	KT_ASSERT(c != NULL);
	for (int round = 0; round < 3; round++) {
		KT_ASSERT_EQ(kmem_cache_alloc_bulk(c, 700, objs), 0);
		KT_EXPECT_EQ(c->active_objs, 700);
		unsigned overlap = 0, misaligned = 0;
		for (int i = 0; i < 700; i++) {
			misaligned += ((uintptr_t)objs[i] & 3) != 0;
			memset(objs[i], i, 40);		/* all 40 bytes are the caller's */
		}
		for (int i = 0; i < 700; i++)		/* no object wrote over another */
			for (int b = 0; b < 40; b++)
				overlap += ((uint8_t *)objs[i])[b] != (uint8_t)i;
		for (int i = 0; i < 700; i++) {		/* any order: shuffle */
			rng = rng * 1103515245u + 12345u;
			int j = (rng >> 8) % 700;
			void *x = objs[i];
			objs[i] = objs[j];
			objs[j] = x;
		}
		KT_EXPECT_EQ(overlap, 0);
		KT_EXPECT_EQ(misaligned, 0);
		kmem_cache_free_bulk(c, 350, objs);	/* half in bulk, half one by one */
		for (int i = 350; i < 700; i++)
			kmem_cache_free(c, objs[i]);
		KT_EXPECT_EQ(c->active_objs, 0);
	}
	kmem_cache_shrink(c);
	KT_EXPECT_EQ(c->total_slabs, 0);	/* every slab was whole again */
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}

KTEST(slab, bulk_alloc_and_free)
{
	bulk_round(t, 0);
	bulk_round(t, SLAB_DEBUG);		/* the one-at-a-time path, with every check */
}

KTEST(slab, bulk_alloc_is_all_or_nothing)
{
	struct kmem_cache *c = kmem_cache_create("test-bulk", 64, 0, NULL, 0);
	struct fault_point *fp = fault_find("slab");
	void *objs[100];

	KT_ASSERT(c && fp);
	fault_arm(fp, 1, 0);			/* the next slab request fails */
	KT_EXPECT_EQ(kmem_cache_alloc_bulk(c, 100, objs), -ENOMEM);
	fault_arm(fp, 0, 0);
	KT_EXPECT_EQ(c->active_objs, 0);	/* none was kept */
	KT_EXPECT_EQ(kmem_cache_alloc_bulk(c, 100, objs), 0);
	kmem_cache_free_bulk(c, 100, objs);
	KT_EXPECT_EQ(kmem_cache_destroy(c), 0);
}
