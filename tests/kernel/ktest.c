/*
 * tests/kernel/ktest.c: run the self-tests collected in the .ktest section
 * when the `selftest` option asks for them.
 *
 * Output is line-based so that tests/run.py can judge it:
 *     ktest: PLAN n            how many tests this run will report
 *     ktest: PASS name
 *     ktest: FAIL name where message
 *     ktest: DONE passed=p failed=f notrun=k
 * Extra failures of one test print as "ktest: # where message".
 * If a test panics, the panic hook here fails that test, counts the rest
 * as not run and prints DONE; the panic then ends the run.
 */
#include "tests/kernel/ktest.h"
#include "fs/vfs.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/registry.h"
#include "kernel/lib/tunable.h"
#include "mm/vm.h"
#include "tests/kernel/harness.h"

static struct {
	const struct ktest *current;
	int planned, passed, failed;
} run;

static bool selftest;
static char filter[NOPTVALUE];		/* empty: every test */

static const char *set_selftest(const char *val, size_t len)
{
	if (val && len >= sizeof(filter))
		return "value too long";
	if (val) {
		memcpy(filter, val, len);
		filter[len] = '\0';
	}
	selftest = true;
	return NULL;
}

TUNABLE_CALL(selftest, set_selftest,
	     "run the self-tests at boot (=P1,P2: only those whose names start so)");

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
 * What a test must give back: every RESOURCE_COUNT. Each stage's caches
 * are emptied first (unused dentries, inodes, file pages, buffers, then
 * empty slabs), so that memory a cache merely kept for later does not
 * count as a leak.
 */
void ktest_snapshot(struct ktest_snapshot *s)
{
	const struct resource_count *c;
	int i;

	for (int stage = 0; stage < 4; stage++)
		for (c = __resource_counts_start; c < __resource_counts_end; c++)
			if (c->stage == stage && c->settle)
				c->settle();
	for (c = __resource_counts_start, i = 0; c < __resource_counts_end && i < NCOUNTS;
	     c++, i++)
		s->value[i] = c->count ? c->count() : 0;
}

int ktest_leaks(const struct ktest_snapshot *before, char *what, size_t size)
{
	const struct resource_count *c;
	struct ktest_snapshot after;
	int i, n = 0;

	ktest_snapshot(&after);
	for (c = __resource_counts_start, i = 0; c < __resource_counts_end && i < NCOUNTS;
	     c++, i++)
		if (c->count && after.value[i] != before->value[i] && n++ == 0)
			snprintf(what, size, "%s %lu before, %lu after", c->name,
				 before->value[i], after.value[i]);
	return n;
}

static void leak_check(struct ktest_ctx *ctx, const struct ktest_snapshot *before)
{
	const struct ktest *k = ctx->test;
	const struct resource_count *c;
	struct ktest_snapshot after;
	int i, bad;

	mm_activate(NULL);		/* a test may leave its address space loaded */
	for (const struct consistency_check *v = __consistency_checks_start;
	     v < __consistency_checks_end; v++)
		if ((bad = v->verify()) != 0)
			ktest_fail(ctx, k->file, k->line, "%s found %d problems", v->name, bad);
	ktest_snapshot(&after);
	for (c = __resource_counts_start, i = 0; c < __resource_counts_end && i < NCOUNTS;
	     c++, i++)
		if (c->count && after.value[i] != before->value[i])
			ktest_fail(ctx, k->file, k->line, "leak: %s %lu before, %lu after",
				   c->name, before->value[i], after.value[i]);
}

static void run_one(const struct ktest *k)
{
	struct ktest_ctx ctx = { .test = k };
	struct ktest_snapshot before;

	ktest_snapshot(&before);
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

/* A panic during a test: that test failed, the rest did not run. */
static void ktest_panicked(const char *msg)
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

PANIC_HOOK(ktest, ktest_panicked);

static void selftest_boot(void)
{
	int failed;

	if (!selftest)
		return;
	failed = ktest_run(filter);
	if (root_sb && vfs_sync(root_sb) < 0)	/* what the tests wrote, on disk */
		printk(KERN_ERR "ktest: the root file system did not sync\n");
	harness_finish(failed == 0);
}

BOOT_HOOK(selftest, selftest_boot);
