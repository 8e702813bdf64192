/* tests/kernel/test_cmdline.c: command-line parsing, good and bad. */
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/lib.h"
#include "kernel/printk.h"

KTEST(cmdline, defaults)
{
	struct bootopts o;

	KT_EXPECT_EQ(cmdline_parse("", &o), 0);
	KT_EXPECT(!o.selftest && !o.harness);
	KT_EXPECT_EQ(o.fork, FORK_SHARE);
	KT_EXPECT_EQ(o.loglevel, CONSOLE_LOGLEVEL);
	KT_EXPECT_STREQ(o.init, "");
}

KTEST(cmdline, all_options)
{
	struct bootopts o;

	KT_ASSERT_EQ(cmdline_parse("/boot/pagoda.elf selftest=page.,slab harness "
				   "init=/bin/sh fork=copy  loglevel=3", &o), 0);
	KT_EXPECT(o.selftest && o.harness);
	KT_EXPECT_STREQ(o.selftest_filter, "page.,slab");
	KT_EXPECT_STREQ(o.init, "/bin/sh");
	KT_EXPECT_EQ(o.fork, FORK_COPY);
	KT_EXPECT_EQ(o.loglevel, 3);

	KT_ASSERT_EQ(cmdline_parse("selftest fork=share", &o), 0);
	KT_EXPECT(o.selftest);
	KT_EXPECT_STREQ(o.selftest_filter, "");
	KT_EXPECT_EQ(o.fork, FORK_SHARE);
}

KTEST(cmdline, quoted_value)
{
	struct bootopts o;

	KT_ASSERT_EQ(cmdline_parse("init=\"/bin/forktree 3 2\" selftest", &o), 0);
	KT_EXPECT_STREQ(o.init, "/bin/forktree 3 2");
	KT_EXPECT(o.selftest);
}

KTEST(cmdline, junk_warns_and_keeps_defaults)
{
	struct bootopts o;
	char longword[300];

	/* each word below is wrong in its own way: one warning apiece */
	KT_EXPECT_EQ(cmdline_parse("\x01\xff === =x fork= fork=copy2 fork "
				   "loglevel=99 loglevel= loglevel=0x init=relative "
				   "init harness=1 bogus", &o), 13);
	KT_EXPECT(!o.harness && !o.selftest);
	KT_EXPECT_EQ(o.fork, FORK_SHARE);
	KT_EXPECT_EQ(o.loglevel, CONSOLE_LOGLEVEL);
	KT_EXPECT_STREQ(o.init, "");

	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	memcpy(longword, "init=/", 6);
	KT_EXPECT_EQ(cmdline_parse(longword, &o), 1);
	KT_EXPECT_STREQ(o.init, "");

	KT_EXPECT_EQ(cmdline_parse("selftest \"unterminated harness", &o), 1);
	KT_EXPECT(o.selftest && !o.harness);
}

KTEST(cmdline, good_options_survive_bad_neighbours)
{
	struct bootopts o;

	KT_EXPECT_EQ(cmdline_parse("nonsense fork=copy loglevel=x selftest=ktest.", &o), 2);
	KT_EXPECT_EQ(o.fork, FORK_COPY);
	KT_EXPECT(o.selftest);
	KT_EXPECT_STREQ(o.selftest_filter, "ktest.");
}
