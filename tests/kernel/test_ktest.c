/*
 * tests/kernel/test_ktest.c: the self-test framework tested with itself,
 * plus two tests that go wrong on purpose (KTEST_MANUAL). The harness runs
 * those alone (tests/run.py) and checks the panic report and the summary.
 */
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "tests/kernel/ktest.h"

static void assert_then_continue(struct ktest_ctx *t, int *reached)
{
	KT_ASSERT(1 + 1 == 3);
	*reached = 1;
}

static void expect_then_continue(struct ktest_ctx *t, int *reached)
{
	KT_EXPECT_EQ(2, 3);
	*reached = 1;
}

KTEST(ktest, assert_stops_expect_continues)
{
	struct ktest_ctx inner = { .test = t->test };
	int reached = 0;

	assert_then_continue(&inner, &reached);
	KT_EXPECT_EQ(reached, 0);
	KT_EXPECT_EQ(inner.failures, 1);
	KT_EXPECT(strstr(inner.msg, "1 + 1 == 3"));

	inner.failures = 0;
	expect_then_continue(&inner, &reached);
	KT_EXPECT_EQ(reached, 1);
	KT_EXPECT_EQ(inner.failures, 1);
	KT_EXPECT(strstr(inner.msg, "0x2 and 0x3"));
	KT_EXPECT(strstr(inner.where, "test_ktest.c:"));
}

KTEST(ktest, filter)
{
	KT_EXPECT(ktest_selected("", "page.refcount", 0));
	KT_EXPECT(!ktest_selected("", "ktest.deliberate_fault", KTEST_MANUAL));
	KT_EXPECT(ktest_selected("page.", "page.refcount", 0));
	KT_EXPECT(ktest_selected("slab,page", "page.refcount", 0));
	KT_EXPECT(!ktest_selected("slab,pt", "page.refcount", 0));
	KT_EXPECT(!ktest_selected("ktest.", "ktest.deliberate_fault", KTEST_MANUAL));
	KT_EXPECT(ktest_selected("x,ktest.deliberate_fault", "ktest.deliberate_fault",
				 KTEST_MANUAL));
	KT_EXPECT(!ktest_selected(",", "page.refcount", 0));
}

static volatile uintptr_t unmapped = 0x10;	/* volatile: gcc cannot see it */

static __attribute__((noinline)) int twice(int v)
{
	return 2 * v;
}

/* The call after the load keeps touch's frame set up when the load faults. */
static __attribute__((noinline)) int touch(uintptr_t addr)
{
	int v = *(volatile int *)addr;

	return twice(v) + 1;
}

KTEST_FLAGS(ktest, deliberate_fault, KTEST_MANUAL)
{
	(void)t;
	touch(unmapped);	/* page fault in kernel mode */
}

static __attribute__((noinline)) void go_wrong_inner(int why)
{
	panic("deliberate panic from %s (%d)", "go_wrong_inner", why);
}

static __attribute__((noinline)) void go_wrong_outer(int why)
{
	go_wrong_inner(why + 1);
	__asm__ volatile("");
}

KTEST_FLAGS(ktest, deliberate_panic, KTEST_MANUAL)
{
	(void)t;
	go_wrong_outer(41);
}
