/*
 * tests/kernel/test_memmap.c: firmware memory maps, sane and odd, through
 * memmap_sanitize, and the reserved-range arithmetic the allocator uses.
 */
#include "kernel/arch/memlayout.h"
#include "kernel/lib/lib.h"
#include "mm/memmap.h"
#include "tests/kernel/ktest.h"

#define MiB	(1ull << 20)
#define AV	MEM_AVAILABLE
#define RSV	2

static struct memmap m;	/* too big for the kernel stack */

#define RANGE_IS(i, b, e) do {						\
		KT_EXPECT_EQ(m.usable[i].base, (b));			\
		KT_EXPECT_EQ(m.usable[i].end, (e));			\
	} while (0)

KTEST(memmap, typical_pc)
{
	static const struct memrange in[] = {
		{ 0, 0x9fc00, AV, 0 }, { 0x9fc00, 0xa0000, RSV, 0 },
		{ 0xf0000, 0x100000, RSV, 0 }, { MiB, 0x7fe0000, AV, 0 },
		{ 0x7fe0000, 0x8000000, RSV, 0 }, { 0xfffc0000, 0x100000000ull, RSV, 0 },
	};

	KT_EXPECT_EQ(memmap_sanitize(in, 6, &m, true), 0);
	KT_ASSERT_EQ(m.nusable, 2);
	RANGE_IS(0, 0, 0x9f000);
	RANGE_IS(1, MiB, 0x7fe0000);
	KT_EXPECT_EQ(m.ram_top, 0x7fe0000);
	KT_EXPECT_EQ(memmap_usable_bytes(&m), 0x9f000 + 0x7fe0000 - MiB);
}

KTEST(memmap, overlapping_and_unsorted)
{
	static const struct memrange in[] = {
		{ 4 * MiB, 16 * MiB, AV, 0 }, { MiB, 8 * MiB, AV, 0 },
		{ 6 * MiB, 7 * MiB, RSV, 0 },	/* reserved inside RAM wins */
	};

	KT_EXPECT(memmap_sanitize(in, 3, &m, true) >= 2);
	KT_ASSERT_EQ(m.nusable, 2);
	RANGE_IS(0, MiB, 6 * MiB);
	RANGE_IS(1, 7 * MiB, 16 * MiB);
}

KTEST(memmap, unaligned_empty_inverted)
{
	static const struct memrange in[] = {
		{ 0x1234, 0x10f00, AV, 0 },		/* shrinks to whole pages */
		{ 0x200000, 0x200000, AV, 0 },		/* empty */
		{ 0x400000, 0x300000, AV, 0 },		/* inverted */
		{ 0x500800, 0x501000, AV, 0 },		/* less than a page */
	};

	KT_EXPECT_EQ(memmap_sanitize(in, 4, &m, true), 2);
	KT_ASSERT_EQ(m.nusable, 1);
	RANGE_IS(0, 0x2000, 0x10000);
}

KTEST(memmap, beyond_direct_map_and_4g)
{
	static const struct memrange in[] = {
		{ MiB, 0xc0000000ull, AV, 0 },
		{ 0x100000000ull, 0x180000000ull, AV, 0 },
	};

	KT_EXPECT_EQ(memmap_sanitize(in, 2, &m, true), 0);
	KT_ASSERT_EQ(m.nusable, 1);
	RANGE_IS(0, MiB, DIRECTMAP_MAX);
	KT_EXPECT_EQ(m.ignored, 0xc0000000ull - DIRECTMAP_MAX + 0x80000000ull);
}

KTEST(memmap, too_many_and_none)
{
	static struct memrange in[NMEMRANGE + 5];

	for (int i = 0; i < NMEMRANGE + 5; i++)
		in[i] = (struct memrange){ (i + 1) * 2 * MiB, (i + 1) * 2 * MiB + MiB, AV, 0 };
	KT_EXPECT_EQ(memmap_sanitize(in, NMEMRANGE + 5, &m, true), 1);
	KT_EXPECT_EQ(m.nusable, NMEMRANGE);
	KT_EXPECT_EQ(memmap_sanitize(in, 0, &m, true), 0);
	KT_EXPECT_EQ(m.nusable, 0);
	KT_EXPECT_EQ(m.ram_top, 0);
}

KTEST(memmap, reserved_ranges_and_free_ranges)
{
	static const struct memrange in[] = { { MiB, 32 * MiB, AV, 0 } };
	struct memrange out[8];

	memmap_sanitize(in, 1, &m, true);
	memmap_reserve(&m, 0, 2 * MiB + 100, "kernel");		/* unaligned end */
	memmap_reserve(&m, 8 * MiB, 9 * MiB, "a");
	memmap_reserve(&m, 8 * MiB + 4096, 10 * MiB, "b");	/* overlaps a */
	memmap_reserve(&m, 20 * MiB, 21 * MiB, "c");
	KT_ASSERT_EQ(memmap_free_ranges(&m, out, 8), 3);
	KT_EXPECT_EQ(out[0].base, 2 * MiB + PGSIZE);
	KT_EXPECT_EQ(out[0].end, 8 * MiB);
	KT_EXPECT_EQ(out[1].base, 10 * MiB);
	KT_EXPECT_EQ(out[1].end, 20 * MiB);
	KT_EXPECT_EQ(out[2].base, 21 * MiB);
	KT_EXPECT_EQ(out[2].end, 32 * MiB);

	KT_EXPECT(memmap_is_reserved(&m, 8 * MiB, 8 * MiB + 1));
	KT_EXPECT(memmap_is_reserved(&m, 31 * MiB, 33 * MiB));	/* past RAM */
	KT_EXPECT(!memmap_is_reserved(&m, 11 * MiB, 12 * MiB));
	KT_EXPECT_EQ(memmap_find_free(&m, 5 * MiB), 2 * MiB + PGSIZE);
	KT_EXPECT_EQ(memmap_find_free(&m, 7 * MiB), 10 * MiB);
	KT_EXPECT_EQ(memmap_find_free(&m, 12 * MiB), 0);
}
