/* tests/kernel/test_ksyms.c: the embedded symbol table and backtraces. */
#include "kernel/lib/ksyms.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "tests/kernel/ktest.h"

void kmain(uint32_t magic, uint32_t mbi);

KTEST(ksyms, lookup_exact_and_inside)
{
	uint32_t off = 99;

	KT_EXPECT_STREQ(ksym_lookup((uint32_t)kmain, &off), "kmain");
	KT_EXPECT_EQ(off, 0);
	KT_EXPECT_STREQ(ksym_lookup((uint32_t)printk + 5, &off), "printk");
	KT_EXPECT_EQ(off, 5);
	KT_EXPECT_EQ(ksym_address("panic"), (uint32_t)panic);
	KT_EXPECT_EQ(ksym_address("no_such_function_anywhere"), 0);
}

KTEST(ksyms, outside_text_is_unknown)
{
	static int data_word;
	char buf[32];

	KT_EXPECT(ksym_lookup((uint32_t)&data_word, NULL) == NULL);
	KT_EXPECT(ksym_lookup(0x1000, NULL) == NULL);
	ksym_format(buf, sizeof(buf), 0x1000);
	KT_EXPECT_STREQ(buf, "?");
	ksym_format(buf, sizeof(buf), (uint32_t)kmain + 0x10);
	KT_EXPECT_STREQ(buf, "kmain+0x10");
}

KTEST(ksyms, table_sorted_and_complete)
{
	uint32_t prev = 0, off;

	KT_ASSERT(ksym_count() > 100);
	/* every function we can name must resolve to itself */
	KT_EXPECT_STREQ(ksym_lookup((uint32_t)ksym_lookup, &off), "ksym_lookup");
	KT_EXPECT_STREQ(ksym_lookup((uint32_t)vsnprintf, &off), "vsnprintf");
	for (uint32_t a = (uint32_t)kmain; a < (uint32_t)kmain + 64; a++) {
		KT_ASSERT(ksym_lookup(a, &off) != NULL);
		KT_ASSERT(a - off >= prev);
		prev = a - off;
	}
}

static uint32_t trace[8];
static int ntrace;

static __attribute__((noinline)) void bt_inner(void)
{
	ntrace = backtrace_collect(rebp(), trace, 8);
	__asm__ volatile("");
}

static __attribute__((noinline)) void bt_outer(void)
{
	bt_inner();
	__asm__ volatile("");
}

KTEST(ksyms, backtrace_names_callers)
{
	bt_outer();
	KT_ASSERT(ntrace >= 3);
	KT_EXPECT_STREQ(ksym_lookup(trace[0] - 1, NULL), "bt_outer");
	KT_EXPECT_STREQ(ksym_lookup(trace[1] - 1, NULL), "ktest_ksyms_backtrace_names_callers");
	KT_EXPECT_STREQ(ksym_lookup(trace[2] - 1, NULL), "run_one");
}
