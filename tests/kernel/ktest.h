/*
 * tests/kernel/ktest.h: self-tests that run inside the kernel at boot.
 *
 * Declare a test anywhere in the kernel:
 *
 *     KTEST(page, refcount)
 *     {
 *             struct page *p = alloc_page();
 *             KT_ASSERT(p != NULL);
 *             ...
 *     }
 *
 * KTEST puts a descriptor in the .ktest section; `selftest` on the command
 * line runs every test, `selftest=page.,cmdline.junk` those whose names start
 * with a listed prefix. A KTEST_MANUAL test (one that panics on purpose)
 * runs only when named exactly. Each test prints one line:
 *     ktest: PASS page.refcount
 *     ktest: FAIL page.refcount tests/kernel/test_page.c:42 message
 * KT_ASSERT* end the test on failure, KT_EXPECT* record it and go on.
 * After each test that passed (and is not KTEST_NOLEAKCHECK) the framework
 * runs every subsystem's CONSISTENCY_CHECK (rmap_verify) and compares
 * every RESOURCE_COUNT (free pages, slab objects) with its value before
 * the test, once the caches have given back what they only kept
 * (kernel/lib/registry.h): it names no subsystem itself.
 */
#ifndef TESTS_KERNEL_KTEST_H
#define TESTS_KERNEL_KTEST_H

#include <stddef.h>
#include <stdint.h>

struct ktest_ctx;

struct ktest {
	const char *name;		/* "suite.case" */
	void (*fn)(struct ktest_ctx *t);
	const char *file;
	int line;
	unsigned flags;
};

#define KTEST_MANUAL	0x1	/* only when named exactly: it panics on purpose */
#define KTEST_NOLEAKCHECK 0x2	/* the test keeps memory on purpose */

struct ktest_ctx {
	const struct ktest *test;
	int failures;
	char where[96];			/* first failure: file:line */
	char msg[160];			/* first failure: what */
};

#define KTEST_FLAGS(suite, name, fl)					\
	static void ktest_##suite##_##name(struct ktest_ctx *t);	\
	static const struct ktest ktest_desc_##suite##_##name		\
	__attribute__((used, section(".ktest"), aligned(4))) = {	\
		#suite "." #name, ktest_##suite##_##name,		\
		__FILE__, __LINE__, fl };				\
	static void ktest_##suite##_##name(struct ktest_ctx *t)

#define KTEST(suite, name)	KTEST_FLAGS(suite, name, 0)

#define KT_EXPECT(c)							\
	((c) ? 1 : (ktest_fail(t, __FILE__, __LINE__, "expected %s", #c), 0))
#define KT_ASSERT(c)							\
	do { if (!KT_EXPECT(c)) return; } while (0)

#define KT_EXPECT_EQ(a, b) ({						\
	uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);		\
	_a == _b ? 1 : (ktest_fail(t, __FILE__, __LINE__,		\
		"expected %s == %s, got 0x%llx and 0x%llx",		\
		#a, #b, _a, _b), 0); })
#define KT_ASSERT_EQ(a, b)						\
	do { if (!KT_EXPECT_EQ(a, b)) return; } while (0)

#define KT_EXPECT_STREQ(a, b) ({					\
	const char *_a = (a), *_b = (b);				\
	!strcmp(_a, _b) ? 1 : (ktest_fail(t, __FILE__, __LINE__,	\
		"expected %s == \"%s\", got \"%s\"", #a, _b, _a), 0); })
#define KT_ASSERT_STREQ(a, b)						\
	do { if (!KT_EXPECT_STREQ(a, b)) return; } while (0)

/* The registered tests, in link order (linker.ld). */
extern const struct ktest __ktest_start[], __ktest_end[];

/* Record a failure of test t at file:line (KT_* macros call it). */
void ktest_fail(struct ktest_ctx *t, const char *file, int line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Every RESOURCE_COUNT (kernel/lib/registry.h), taken once caches have settled. */
#define NCOUNTS	8
struct ktest_snapshot {
	unsigned long value[NCOUNTS];
};

/* Settle the caches and take every count into s. */
void ktest_snapshot(struct ktest_snapshot *s);
/* How many counts differ from before (settling first); the first in what. */
int ktest_leaks(const struct ktest_snapshot *before, char *what, size_t size);
/* Run the tests the filter selects; returns the number that failed. */
int ktest_run(const char *filter);
/* Whether filter selects the test called name (flags: its KTEST_* flags). */
int ktest_selected(const char *filter, const char *name, unsigned flags);
#endif
