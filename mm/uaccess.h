/*
 * mm/uaccess.h: copying between the kernel and the active address
 * space's user memory.
 *
 * The copy runs through the user's own virtual addresses, so the MMU
 * applies the user's protections (CR0.WP makes a read-only page fault even
 * for the kernel) and faults are served like the user's own: demand-zero,
 * copy-on-write. Addresses outside user space, and regions that allow no
 * access (whose pages the kernel could otherwise still read), are refused
 * here; an address no region serves makes the copy fault and return
 * -EFAULT instead of panicking (kernel/arch/uaccess.h).
 */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/mmu.h"

/* Copy n bytes to user address udst; 0, or -EFAULT if any byte is not writable. */
int copy_to_user(uint32_t udst, const void *src, size_t n);
/* Copy n bytes from user address usrc; 0, or -EFAULT if any byte is not readable. */
int copy_from_user(void *dst, uint32_t usrc, size_t n);
/*
 * How many of the n bytes at udst the kernel could write, counting whole
 * pages from the start: each page is made writable as a user write would
 * (demand-zero, copy-on-write) and its contents left as they were. A read
 * asks first, so that it never consumes data it cannot deliver.
 */
size_t user_writable_prefix(uint32_t udst, size_t n);
/* Does [a, a+n) lie inside user space (without wrapping)? */
static inline int user_range_ok(uint32_t a, size_t n)
{
	return a < USER_TOP && n <= USER_TOP - a;
}
#endif
