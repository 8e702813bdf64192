/*
 * mm/uaccess.c: range and region checks around uaccess_copy (see mm/uaccess.h).
 */
#include "mm/uaccess.h"
#include "kernel/arch/uaccess.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "mm/vm.h"

int copy_to_user(uint32_t udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return -EFAULT;
	return uaccess_copy((void *)udst, src, n);
}

/* Can the user write at a without a fault: present, and writable at both levels? */
static bool writable_now(struct mm *mm, uint32_t a)
{
	pte_t *e = mm ? mm_pte(mm, a) : NULL;

	return e && pde_write(mm->pgdir[PDX(a)]) && pte_present(*e) && pte_write(*e) &&
	       (*e & PTE_U);
}

size_t user_writable_prefix(uint32_t udst, size_t n)
{
	struct mm *mm = mm_active();
	size_t ok = 0;

	while (ok < n) {
		uint32_t a = udst + ok;
		size_t chunk = MIN(n - ok, (size_t)(PGSIZE - (a & (PGSIZE - 1))));
		uint8_t byte;

		/* else the same byte back: a write fault serves it, and nothing changes */
		if (!writable_now(mm, a) &&
		    (copy_from_user(&byte, a, 1) < 0 || copy_to_user(a, &byte, 1) < 0))
			break;
		ok += chunk;
	}
	return ok;
}

int copy_from_user(void *dst, uint32_t usrc, size_t n)
{
	/* a region with no access may still have present pages (mm_protect) */
	if (!user_range_ok(usrc, n) || (n && !mm_readable(mm_active(), usrc, n)))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)usrc, n);
}
