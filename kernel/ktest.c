/*
 * kernel/ktest.c: run the self-tests collected in the .ktest section.
 *
 * Output is line-based so that tests/run.py can judge it:
 *     ktest: PLAN n            how many tests this run will report
 *     ktest: PASS name
 *     ktest: FAIL name where message
 *     ktest: DONE passed=p failed=f notrun=k
 * Extra failures of one test print as "ktest: # where message".
 * If a test panics, panic() calls ktest_panicked, which fails that test,
 * counts the rest as not run, prints DONE and lets the panic end the run.
 */
#include "kernel/ktest.h"
#include "kernel/lib.h"
#include "kernel/printk.h"
#include "fs/vfs.h"
#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vm.h"

extern const struct ktest __ktest_start[], __ktest_end[];

static struct {
	const struct ktest *current;
	int planned, passed, failed;
} run;

void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->failures++ == 0) {
		snprintf(t->where, sizeof(t->where), "%s:%d", file, line);
		strlcpy(t->msg, msg, sizeof(t->msg));
	} else {
		printk("ktest: # %s:%d %s\n", file, line, msg);
	}
}

static int prefix_matches(const char *p, size_t n, const char *name,
			  unsigned flags)
{
	if (flags & KTEST_MANUAL)	/* exact names only */
		return strlen(name) == n && !strncmp(p, name, n);
	return !strncmp(p, name, n);
}

int ktest_selected(const char *filter, const char *name, unsigned flags)
{
	if (!*filter)
		return !(flags & KTEST_MANUAL);
	while (*filter) {
		const char *comma = strchr(filter, ',');
		size_t n = comma ? (size_t)(comma - filter) : strlen(filter);

		if (n && prefix_matches(filter, n, name, flags))
			return 1;
		filter += n + (comma != NULL);
	}
	return 0;
}

/*
 * What a test must give back. Caches are emptied first (unused dentries,
 * inodes, file pages, buffers, empty slabs), so that memory a cache merely
 * kept for later does not count as a leak.
 */
struct snapshot {
	uint32_t free_pages;
	unsigned long slab_objects;
};

static void snapshot_take(struct snapshot *s)
{
	vfs_shrink_caches();
	slab_shrink_all();
	s->free_pages = page_free_count();
	s->slab_objects = slab_active_objects();
}

static void leak_check(struct ktest_ctx *ctx, const struct snapshot *before)
{
	const struct ktest *k = ctx->test;
	struct snapshot after;
	int bad;

	mm_activate(NULL);		/* a test may leave its address space loaded */
	if ((bad = rmap_verify()) != 0)
		ktest_fail(ctx, k->file, k->line, "rmap_verify found %d problems", bad);
	snapshot_take(&after);
	if (after.slab_objects != before->slab_objects)
		ktest_fail(ctx, k->file, k->line, "slab leak: %lu objects before, %lu after",
			   before->slab_objects, after.slab_objects);
	else if (after.free_pages != before->free_pages)
		ktest_fail(ctx, k->file, k->line, "page leak: %d free before, %d after",
			   (int)before->free_pages, (int)after.free_pages);
}

static void run_one(const struct ktest *k)
{
	struct ktest_ctx ctx = { .test = k };
	struct snapshot before;

	snapshot_take(&before);
	run.current = k;
	k->fn(&ctx);
	if (!ctx.failures && !(k->flags & KTEST_NOLEAKCHECK))
		leak_check(&ctx, &before);
	run.current = NULL;
	if (ctx.failures) {
		run.failed++;
		printk("ktest: FAIL %s %s %s\n", k->name, ctx.where, ctx.msg);
	} else {
		run.passed++;
		printk("ktest: PASS %s\n", k->name);
	}
}

int ktest_run(const char *filter)
{
	const struct ktest *k;

	run.planned = run.passed = run.failed = 0;
	for (k = __ktest_start; k < __ktest_end; k++)
		run.planned += ktest_selected(filter, k->name, k->flags);
	printk("ktest: PLAN %d\n", run.planned);
	for (k = __ktest_start; k < __ktest_end; k++)
		if (ktest_selected(filter, k->name, k->flags))
			run_one(k);
	printk("ktest: DONE passed=%d failed=%d notrun=0\n", run.passed, run.failed);
	return run.failed;
}

void ktest_panicked(const char *msg)
{
	const struct ktest *k = run.current;

	if (!k)
		return;
	run.current = NULL;
	run.failed++;
	printk("ktest: FAIL %s %s:%d panic: %s\n", k->name, k->file, k->line, msg);
	printk("ktest: DONE passed=%d failed=%d notrun=%d\n", run.passed,
	       run.failed, run.planned - run.passed - run.failed);
}
