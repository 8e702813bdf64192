/*
 * kernel/lib/errno.h: error numbers. Kernel functions that can fail return
 * a negative error number (STYLE.md); the values are Linux's, so they read familiar.
 */
#ifndef KERNEL_LIB_ERRNO_H
#define KERNEL_LIB_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39
#define ENXIO		6
#define ENODEV		19
#define ELOOP		40

/*
 * A pointer or an error, as in Linux: functions that return an object may
 * return ERR_PTR(-ENOMEM) (or another error) instead; IS_ERR tells, PTR_ERR recovers the code.
 */
#ifndef __ASSEMBLER__
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline int IS_ERR(const void *p) { return (unsigned long)p >= (unsigned long)-MAX_ERRNO; }
static inline int IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }
#endif
#endif
