/*
 * kernel/uaccess.c: range checks around uaccess_copy, and the exception
 * table lookup the page-fault handler uses (see kernel/uaccess.h).
 */
#include "kernel/uaccess.h"
#include "kernel/errno.h"
#include "mm/mmu.h"
#include "mm/vm.h"

struct extable_entry {
	uint32_t insn, fixup;
};

extern const struct extable_entry __ex_table[], __ex_table_end[];
int uaccess_copy(void *dst, const void *src, size_t n);

static int user_range_ok(uint32_t a, size_t n)
{
	return a < USER_TOP && n <= USER_TOP - a;
}

int copy_to_user(uint32_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return uaccess_copy((void *)udst, src, n);
}

int copy_from_user(void *dst, uint32_t usrc, size_t n)
{
	/* a region with no access may still have present pages (mm_protect) */
	if (!user_range_ok(usrc, n) || (n && !mm_readable(active_mm, usrc, n)))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)usrc, n);
}

uint32_t uaccess_fixup(uint32_t eip)
{
	for (const struct extable_entry *e = __ex_table; e < __ex_table_end; e++)
		if (e->insn == eip)
			return e->fixup;
	return 0;
}
