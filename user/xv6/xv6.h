/*
 * user/xv6/xv6.h: the user ABI exactly as xv6-public's types.h, stat.h,
 * fcntl.h, fs.h and user.h state it, written out here rather than taken
 * from user/user.h. A program built on this header and user/xv6/usys.S is
 * built the way xv6's Makefile builds its programs, so what it checks is
 * Pagoda's ABI against xv6's, not against itself: if a structure, a flag
 * or a system-call number drifted in user/, this header would not follow.
 */
#ifndef USER_XV6_XV6_H
#define USER_XV6_XV6_H

typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;

/* stat.h: 20 bytes; size at offset 16 */
#define T_DIR	1
#define T_FILE	2
#define T_DEV	3
struct stat {
	short type;
	int dev;
	uint ino;
	short nlink;
	uint size;
};

/* fcntl.h */
#define O_RDONLY	0x000
#define O_WRONLY	0x001
#define O_RDWR		0x002
#define O_CREATE	0x200

/* fs.h: what read() of a directory returns, 16 bytes a record */
#define DIRSIZ	14
struct dirent {
	ushort inum;
	char name[DIRSIZ];
};

/* user.h: the system calls (usys.S) */
int fork(void);
int exit(void) __attribute__((noreturn));
int wait(void);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);
int sleep(int);
int uptime(void);

/* user.h: the library (Pagoda's ulib.o, printf.o and umalloc.o, xv6's set) */
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void printf(int, const char *, ...);
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
void *malloc(uint);
void free(void *);
int atoi(const char *);

/* Pagoda's user/memhog.c, which needs only malloc and free */
int memhog_twice(int *second);
#endif
