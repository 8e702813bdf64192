/*
 * user/user.h: the user library. The first block is xv6's interface,
 * unchanged, so xv6 programs build against it; then Pagoda's own calls.
 */
#ifndef USER_USER_H
#define USER_USER_H

#include "user/syscall.h"

typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;

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

#define DIRSIZ	14
struct dirent {
	ushort inum;
	char name[DIRSIZ];
};

#include "user/fcntl.h"

/* system calls (xv6) */
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

/* system calls (Pagoda) */
int getppid(void);
int waitpid(int pid, int *status, int options);
int exit2(int status) __attribute__((noreturn));
void *mmap(void *addr, int len, int prot, int flags);
int munmap(void *addr, int len);
int lseek(int fd, int off, int whence);
int getdents(int fd, struct pagoda_dirent *buf, int len);
int rename(const char *, const char *);
int sysinfo(int kind, void *buf, int len);
int sync(void);
int faultinj(const char *point, int nth, int permille);
int poweroff(unsigned magic1, unsigned magic2);

/* ulib.c */
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, uint);
void printf(int, const char *, ...);
int snprintf(char *, int, const char *, ...);
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
int memcmp(const void *, const void *, uint);
void *malloc(uint);
void free(void *);
int atoi(const char *);
/* Marsaglia's xorshift32: the next number of the sequence *state holds
   (never 0: start it at anything else); the same on every run. */
unsigned xorshift32(unsigned *state);


/* memhog.c */
/* Take 64 KiB blocks, writing every page, until malloc fails; free them;
   do it again. The blocks the first time; *second those the second time. */
int memhog_twice(int *second);

/* figures.c */
/* The number after the word name (alone, at the start of a line or after a
   space) in sysinfo's text report kind; -1 if there is none. */
int sysinfo_figure(int kind, const char *name);
/* Free memory in KiB (the "free" figure of sysinfo SI_MEM); -1 on error. */
int mem_free_kib(void);
/* Memory nobody but this process uses, in KiB: free memory once the caches
   have given back what they only keep, plus this process's own pages (so
   that its own stack growing is not a leak). A leak makes it shrink. */
int mem_unused_kib(void);
/* TSC cycles since boot less those spent idle (waiting for the disk, say):
   under QEMU -icount, guest instructions, which do not depend on the host. */
unsigned long long busy_cycles(void);
#endif
