/* tests/kernel/test_printk.c: snprintf conversions and printk's log levels. */
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "tests/kernel/ktest.h"

#define FMT_IS(expect, ...) do {					\
		char _b[64];						\
		snprintf(_b, sizeof(_b), __VA_ARGS__);			\
		KT_EXPECT_STREQ(_b, expect);				\
	} while (0)

KTEST(printk, integers)
{
	FMT_IS("42 -42 0", "%d %d %d", 42, -42, 0);
	FMT_IS("-2147483648", "%d", (int)0x80000000);
	FMT_IS("4294967295", "%u", 0xffffffffu);
	FMT_IS("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	FMT_IS("17", "%o", 15);
	FMT_IS("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	FMT_IS("-9000000000", "%lld", -9000000000ll);
	FMT_IS("7", "%lu", 7ul);
}

KTEST(printk, width_and_padding)
{
	FMT_IS("0000beef", "%08x", 0xbeef);
	FMT_IS("   42|", "%5d|", 42);
	FMT_IS("42   |", "%-5d|", 42);
	FMT_IS("-0042", "%05d", -42);
	FMT_IS("  abc|abc  |", "%5s|%-5s|", "abc", "abc");
	FMT_IS("ab|", "%.2s|", "abcdef");
	FMT_IS("abc|", "%.*s|", 3, "abcdef");
	FMT_IS("    7", "%*d", 5, 7);
}

/* No format attribute: lets a test pass what gcc would rightly reject. */
static void unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

KTEST(printk, strings_chars_pointers)
{
	FMT_IS("x=A", "x=%c", 'A');
	char b[16];

	unchecked(b, sizeof(b), "%s", (char *)NULL);
	KT_EXPECT_STREQ(b, "(null)");
	unchecked(b, sizeof(b), "%q|%");
	KT_EXPECT_STREQ(b, "%q|%");
	FMT_IS("0xc0100000", "%p", (void *)0xc0100000);
	FMT_IS("0x00000010", "%p", (void *)0x10);
	FMT_IS("100%", "%d%%", 100);
}

KTEST(printk, truncation)
{
	char b[4];

	KT_EXPECT_EQ(snprintf(b, sizeof(b), "hello"), 5);
	KT_EXPECT_STREQ(b, "hel");
	KT_EXPECT_EQ(snprintf(b, 0, "%d", 12345), 5);
	KT_EXPECT_EQ(snprintf(b, 1, "abc"), 3);
	KT_EXPECT_STREQ(b, "");
}

KTEST(printk, levels_and_log)
{
	char log[128];
	size_t n;

	/* below console_loglevel: logged but not shown; the prefix is never kept */
	printk(KERN_DEBUG "printk-test marker %d\n", 31337);
	n = printk_log_read(log, sizeof(log) - 1);
	log[n] = '\0';
	KT_EXPECT(strstr(log, "printk-test marker 31337\n") != NULL);
	KT_EXPECT(strstr(log, "<7>") == NULL);
}
