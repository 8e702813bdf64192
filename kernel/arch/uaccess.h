/*
 * kernel/arch/uaccess.h: the one copy allowed to fault on user memory.
 *
 * uaccess_copy is rep movsb (kernel/arch/uaccess_copy.S). If it faults on
 * a user address, the page-fault handler first tries to serve the fault
 * like the user's own (demand-zero, copy-on-write) and the copy resumes
 * where it stopped; if it cannot, the handler resumes at the instruction's
 * fixup, listed in an exception table, and the copy returns -EFAULT
 * instead of panicking. Range and region checks belong to the callers:
 * copy_to_user and copy_from_user in mm/uaccess.h.
 */
#ifndef KERNEL_ARCH_UACCESS_H
#define KERNEL_ARCH_UACCESS_H

#include <stddef.h>
#include <stdint.h>

/* Copy n bytes; 0, or -EFAULT if a fault on a user address could not be served. */
int uaccess_copy(void *dst, const void *src, size_t n);
/* Where to resume if the instruction at eip faults on a user address; 0 if none. */
uint32_t uaccess_fixup(uint32_t eip);
#endif
