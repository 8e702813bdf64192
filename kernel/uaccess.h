/*
 * kernel/uaccess.h: copying between the kernel and the active address
 * space's user memory.
 *
 * The copy runs through the user's own virtual addresses, so the MMU
 * applies the user's protections (CR0.WP makes a read-only page fault even
 * for the kernel) and faults are served like the user's own: demand-zero,
 * copy-on-write. An address no region serves makes the copy return -EFAULT
 * instead of panicking: the faulting instruction is listed in an exception
 * table (kernel/uaccess_copy.S), and the page-fault handler resumes at its fixup.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/* Copy n bytes to user address udst; 0, or -EFAULT if any byte is not writable. */
int copy_to_user(uint32_t udst, const void *src, size_t n);
/* Copy n bytes from user address usrc; 0, or -EFAULT if any byte is not readable. */
int copy_from_user(void *dst, uint32_t usrc, size_t n);
/* Where to resume if the instruction at eip faults on a user address; 0 if none. */
uint32_t uaccess_fixup(uint32_t eip);
#endif
