/*
 * user/fcntl.h: open() flags, shared by the kernel and user programs:
 * xv6's values, plus O_TRUNC and O_APPEND; and lseek()'s whence.
 */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

#define O_RDONLY	0x000
#define O_WRONLY	0x001
#define O_RDWR		0x002
#define O_CREATE	0x200
#define O_TRUNC		0x400
#define O_APPEND	0x800

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#endif
