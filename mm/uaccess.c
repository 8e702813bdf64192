/*
 * mm/uaccess.c: range and region checks around uaccess_copy (see mm/uaccess.h).
 */
#include "mm/uaccess.h"
#include "kernel/arch/uaccess.h"
#include "kernel/lib/errno.h"
#include "mm/vm.h"

int copy_to_user(uint32_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return uaccess_copy((void *)udst, src, n);
}

int copy_from_user(void *dst, uint32_t usrc, size_t n)
{
	/* a region with no access may still have present pages (mm_protect) */
	if (!user_range_ok(usrc, n) || (n && !mm_readable(mm_active(), usrc, n)))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)usrc, n);
}
