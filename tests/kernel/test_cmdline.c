/*
 * tests/kernel/test_cmdline.c: command-line parsing, good and bad, on a
 * table of tunables shaped like the kernel's own; and the kernel's own
 * options, each registered where its subsystem declares it.
 */
#include "fs/dcache.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "tests/kernel/ktest.h"

static bool t_selftest, t_harness;
static int t_fork, t_loglevel;
static char t_init[NOPTVALUE], t_filter[NOPTVALUE];
static const char *const modes[] = { "share", "copy", NULL };

static const char *copy_to(char *dst, const char *val, size_t len)
{
	if (len >= NOPTVALUE)
		return "value too long";
	memcpy(dst, val, len);
	dst[len] = '\0';
	return NULL;
}

static const char *t_set_init(const char *val, size_t len)
{
	if (!val || len == 0 || val[0] != '/')
		return "wants an absolute path, e.g. init=/bin/sh";
	return copy_to(t_init, val, len);
}

static const char *t_set_selftest(const char *val, size_t len)
{
	const char *err = val ? copy_to(t_filter, val, len) : NULL;

	if (!err)
		t_selftest = true;
	return err;
}

static const struct tunable table[] = {
	{ .name = "selftest", .kind = TUNE_CALL, .set = t_set_selftest },
	{ .name = "harness", .kind = TUNE_FLAG, .var = &t_harness },
	{ .name = "init", .kind = TUNE_CALL, .set = t_set_init },
	{ .name = "fork", .kind = TUNE_CHOICE, .var = &t_fork, .choices = modes },
	{ .name = "loglevel", .kind = TUNE_INT, .var = &t_loglevel, .min = 0, .max = 8 },
};

/* Reset every option to its default, then parse line; the warnings printed. */
static int parse(const char *line)
{
	t_selftest = t_harness = false;
	t_fork = 0;
	t_loglevel = CONSOLE_LOGLEVEL;
	t_init[0] = t_filter[0] = '\0';
	return cmdline_parse(line, table, ARRAY_SIZE(table));
}

KTEST(cmdline, defaults)
{
	KT_EXPECT_EQ(parse(""), 0);
	KT_EXPECT(!t_selftest && !t_harness);
	KT_EXPECT_EQ(t_fork, 0);
	KT_EXPECT_EQ(t_loglevel, CONSOLE_LOGLEVEL);
	KT_EXPECT_STREQ(t_init, "");
}

KTEST(cmdline, all_options)
{
	KT_ASSERT_EQ(parse("/boot/pagoda.elf selftest=page.,slab harness "
			   "init=/bin/sh fork=copy  loglevel=3"), 0);
	KT_EXPECT(t_selftest && t_harness);
	KT_EXPECT_STREQ(t_filter, "page.,slab");
	KT_EXPECT_STREQ(t_init, "/bin/sh");
	KT_EXPECT_EQ(t_fork, 1);
	KT_EXPECT_EQ(t_loglevel, 3);

	KT_ASSERT_EQ(parse("selftest fork=share"), 0);
	KT_EXPECT(t_selftest);
	KT_EXPECT_STREQ(t_filter, "");
	KT_EXPECT_EQ(t_fork, 0);
}

KTEST(cmdline, quoted_value)
{
	KT_ASSERT_EQ(parse("init=\"/bin/forktree 3 2\" selftest"), 0);
	KT_EXPECT_STREQ(t_init, "/bin/forktree 3 2");
	KT_EXPECT(t_selftest);
}

KTEST(cmdline, junk_warns_and_keeps_defaults)
{
	char longword[300];

	/* each word below is wrong in its own way: one warning apiece */
	KT_EXPECT_EQ(parse("\x01\xff === =x fork= fork=copy2 fork "
			   "loglevel=99 loglevel= loglevel=0x init=relative "
			   "init harness=1 bogus"), 13);
	KT_EXPECT(!t_harness && !t_selftest);
	KT_EXPECT_EQ(t_fork, 0);
	KT_EXPECT_EQ(t_loglevel, CONSOLE_LOGLEVEL);
	KT_EXPECT_STREQ(t_init, "");

	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	memcpy(longword, "init=/", 6);
	KT_EXPECT_EQ(parse(longword), 1);
	KT_EXPECT_STREQ(t_init, "");

	KT_EXPECT_EQ(parse("selftest \"unterminated harness"), 1);
	KT_EXPECT(t_selftest && !t_harness);
}

KTEST(cmdline, good_options_survive_bad_neighbours)
{
	KT_EXPECT_EQ(parse("nonsense fork=copy loglevel=x selftest=ktest."), 2);
	KT_EXPECT_EQ(t_fork, 1);
	KT_EXPECT(t_selftest);
	KT_EXPECT_STREQ(t_filter, "ktest.");
}

/* Every option docs/boot.md lists is registered, by the layer that owns it. */
KTEST(cmdline, kernel_options_registered)
{
	static const struct { const char *name; enum tunable_kind kind; } want[] = {
		{ "selftest", TUNE_CALL }, { "harness", TUNE_CALL }, { "init", TUNE_CALL },
		{ "fork", TUNE_CHOICE }, { "loglevel", TUNE_INT }, { "break", TUNE_FLAG },
		{ "slab_debug", TUNE_FLAG }, { "vmcheck", TUNE_FLAG }, { "bench", TUNE_CALL },
		{ "fail", TUNE_CALL }, { "fault_inject", TUNE_FLAG },
		{ "overcommit", TUNE_CHOICE }, { "swap", TUNE_CALL },
		{ "dcache_shrink", TUNE_CHOICE }, { "wsb", TUNE_CHOICE },
		{ "wsb_prefetch", TUNE_CHOICE }, { "wsb_interval", TUNE_INT }, { "wsb_gap", TUNE_INT },
	};

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct tunable *tn = tunable_find(want[i].name);
		if (KT_EXPECT(tn != NULL))
			KT_EXPECT_EQ(tn->kind, want[i].kind);
	}
	KT_EXPECT(tunable_find("bogus") == NULL);
	KT_EXPECT(tunable_find("dcache_shrink")->runtime && !tunable_find("fork")->runtime);
}

KTEST(cmdline, runtime_tunables_only_at_run_time)
{
	int was = dcache_shrink_policy;

	KT_EXPECT(tunable_set("dcache_shrink=lru") == NULL);
	KT_EXPECT_EQ(dcache_shrink_policy, DSHRINK_LRU);
	KT_EXPECT(tunable_set(" dcache_shrink=relocate ") == NULL);
	KT_EXPECT_EQ(dcache_shrink_policy, DSHRINK_RELOCATE);
	/* a bad value, a boot-only option, no option, two words: refused, nothing changed */
	KT_EXPECT(tunable_set("dcache_shrink=sideways") != NULL);
	KT_EXPECT_STREQ(tunable_set("fork=copy"), "can only be set at boot");
	KT_EXPECT_STREQ(tunable_set("nonsense=1"), "is no option");
	KT_EXPECT_STREQ(tunable_set("dcache_shrink=lru fork=copy"), "is not one name=value word");
	KT_EXPECT_EQ(dcache_shrink_policy, DSHRINK_RELOCATE);
	dcache_shrink_policy = was;
}
