/*
 * mm/memmap.c: clean up the firmware memory map and keep the reserved list.
 *
 * Sanitising works on elementary intervals: every entry boundary is a cut
 * point; between two neighbouring cuts a piece is usable if some entry of
 * type MEM_AVAILABLE covers it and no entry of another type does (when
 * firmware disagrees with itself, the cautious answer wins). Usable pieces
 * are merged, shrunk inwards to page boundaries and cut at DIRECTMAP_MAX.
 * With at most NMEMRANGE entries the quadratic work is trivial.
 */
#include "mm/memmap.h"
#include "kernel/arch/memlayout.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"

struct memmap boot_memmap;

static bool covered(const struct memrange *in, int n, uint64_t a, uint64_t b,
		    bool available)
{
	for (int i = 0; i < n; i++)
		if ((in[i].type == MEM_AVAILABLE) == available &&
		    in[i].base <= a && in[i].end >= b)
			return true;
	return false;
}

static int sorted_cuts(const struct memrange *in, int n, uint64_t *cuts)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		cuts[k++] = in[i].base;
		cuts[k++] = in[i].end;
	}
	for (int i = 1; i < k; i++)	/* insertion sort */
		for (int j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			uint64_t t = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = t;
		}
	return k;
}

static void add_usable(struct memmap *m, uint64_t a, uint64_t b)
{
	if (m->nusable && m->usable[m->nusable - 1].end == a) {
		m->usable[m->nusable - 1].end = b;
		return;
	}
	if (m->nusable < NMEMRANGE)
		m->usable[m->nusable++] = (struct memrange){ a, b, MEM_AVAILABLE, "RAM" };
}

/* Round each range inwards to pages, clip at DIRECTMAP_MAX, drop empties. */
static void align_and_clip(struct memmap *m)
{
	int k = 0;

	for (int i = 0; i < m->nusable; i++) {
		uint64_t a = PGROUNDUP(m->usable[i].base);
		uint64_t b = PGROUNDDOWN(m->usable[i].end);

		if (b > DIRECTMAP_MAX) {
			m->ignored += b - MAX(a, (uint64_t)DIRECTMAP_MAX);
			b = MAX(a, (uint64_t)DIRECTMAP_MAX);
		}
		if (a < b)
			m->usable[k++] = (struct memrange){ a, b, MEM_AVAILABLE, "RAM" };
	}
	m->nusable = k;
}

static int count_oddities(const struct memrange *in, int n, bool quiet)
{
	int warn = 0;

	for (int i = 0; i < n; i++) {
		const char *why = NULL;

		if (in[i].end <= in[i].base)
			why = "is empty or inverted";
		for (int j = 0; !why && j < i; j++)
			if (in[j].base < in[i].end && in[i].base < in[j].end)
				why = "overlaps an earlier entry";
		if (why) {
			warn++;
			if (!quiet)
				printk(KERN_WARNING "memmap: entry %d [%llx-%llx) type %u %s\n",
				       i, in[i].base, in[i].end, in[i].type, why);
		}
	}
	return warn;
}

int memmap_sanitize(const struct memrange *in, int n, struct memmap *m, bool quiet)
{
	uint64_t cuts[2 * NMEMRANGE];
	int warn = 0, k;

	memset(m, 0, sizeof(*m));
	if (n > NMEMRANGE) {
		if (!quiet)
			printk(KERN_WARNING "memmap: %d entries, only the first %d used\n",
			       n, NMEMRANGE);
		n = NMEMRANGE;
		warn++;
	}
	warn += count_oddities(in, n, quiet);
	for (int i = 0; i < n; i++)
		if (in[i].type == MEM_AVAILABLE && in[i].end > in[i].base)
			m->ram_top = MAX(m->ram_top, in[i].end);
	k = sorted_cuts(in, n, cuts);
	for (int i = 0; i + 1 < k; i++) {
		uint64_t a = cuts[i], b = cuts[i + 1];
		if (a < b && covered(in, n, a, b, true) && !covered(in, n, a, b, false))
			add_usable(m, a, b);
	}
	align_and_clip(m);
	if (m->ignored && !quiet)
		printk(KERN_WARNING "memmap: %llu KiB above %u MiB cannot be mapped; ignored\n",
		       m->ignored >> 10, DIRECTMAP_MAX >> 20);
	return warn;
}

int memmap_reserve(struct memmap *m, uint64_t base, uint64_t end, const char *what)
{
	if (m->nreserved == NRESERVED)
		return -1;
	m->reserved[m->nreserved++] = (struct memrange){ base, end, 0, what };
	return 0;
}

bool memmap_is_reserved(const struct memmap *m, uint64_t base, uint64_t end)
{
	bool inside = false;

	for (int i = 0; i < m->nreserved; i++)
		if (m->reserved[i].base < end && base < m->reserved[i].end)
			return true;
	for (int i = 0; i < m->nusable; i++)
		if (m->usable[i].base <= base && end <= m->usable[i].end)
			inside = true;
	return !inside;
}

uint64_t memmap_find_free(const struct memmap *m, uint64_t size)
{
	uint64_t best = 0;

	size = PGROUNDUP(size);
	/* a lowest fit starts where a usable range starts or a reserved one ends */
	for (int i = 0; i < m->nusable + m->nreserved; i++) {
		uint64_t a = i < m->nusable ? m->usable[i].base
					    : m->reserved[i - m->nusable].end;
		a = PGROUNDUP(a);
		if (a && !memmap_is_reserved(m, a, a + size) && (!best || a < best))
			best = a;
	}
	return best;
}

static int subtract_reserved(const struct memmap *m, uint64_t a, uint64_t b,
			     struct memrange *out, int k, int max)
{
	for (int i = 0; i < m->nreserved && a < b; i++) {
		const struct memrange *r = &m->reserved[i];
		if (r->end <= a || r->base >= b)
			continue;
		if (r->base > a)	/* the piece before r; recurse on it */
			k = subtract_reserved(m, a, r->base, out, k, max);
		a = r->end;
	}
	a = PGROUNDUP(a);
	b = PGROUNDDOWN(b);
	if (a < b && k < max)
		out[k++] = (struct memrange){ a, b, MEM_AVAILABLE, "free" };
	return k;
}

int memmap_free_ranges(const struct memmap *m, struct memrange *out, int max)
{
	int k = 0;

	for (int i = 0; i < m->nusable; i++)
		k = subtract_reserved(m, m->usable[i].base, m->usable[i].end,
				      out, k, max);
	return k;
}

uint64_t memmap_usable_bytes(const struct memmap *m)
{
	uint64_t sum = 0;

	for (int i = 0; i < m->nusable; i++)
		sum += m->usable[i].end - m->usable[i].base;
	return sum;
}
