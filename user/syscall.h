/*
 * user/syscall.h: system-call numbers, shared by the kernel and the user
 * library. 1..21 are xv6's, with xv6's meanings; Pagoda's own start at 22.
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#define SYS_fork	1
#define SYS_exit	2
#define SYS_wait	3
#define SYS_pipe	4
#define SYS_read	5
#define SYS_kill	6
#define SYS_exec	7
#define SYS_fstat	8
#define SYS_chdir	9
#define SYS_dup		10
#define SYS_getpid	11
#define SYS_sbrk	12
#define SYS_sleep	13
#define SYS_uptime	14
#define SYS_open	15
#define SYS_write	16
#define SYS_mknod	17
#define SYS_unlink	18
#define SYS_link	19
#define SYS_mkdir	20
#define SYS_close	21
/* Pagoda's own */
#define SYS_getppid	22
#define SYS_waitpid	23	/* waitpid(pid, int *status, options) */
#define SYS_exit2	24	/* exit with a status */
#define SYS_mmap	25	/* mmap(addr, len, prot, flags): anonymous only */
#define SYS_munmap	26
#define SYS_lseek	27
#define SYS_getdents	28	/* full ext2 names: struct pagoda_dirent */
#define SYS_rename	29
#define SYS_sysinfo	30	/* sysinfo(kind, buf, len): statistics */
#define SYS_sync	31	/* write the root file system back */
#define SYS_faultinj	32	/* faultinj(point, nth, permille): with the fault_inject option */
#define SYS_poweroff	33	/* poweroff(magic1, magic2): sync, then switch off */
#define NSYSCALL	34

/* poweroff's two arguments must be these, so that no stray call (a fuzzer's)
   can stop the machine (Linux's reboot asks for magic numbers the same way) */
#define POWEROFF_MAGIC1	0xfee1deadu
#define POWEROFF_MAGIC2	0x19691228u

/* sysinfo kinds */
#define SI_MEM		1	/* text: memory figures */
#define SI_SLAB		2	/* text: slabinfo, Linux 2.4 columns */
#define SI_VM		3	/* text: vmstat */
#define SI_PROCS	4	/* struct pagoda_proc[] */
#define SI_BLK		5	/* text: block devices */
#define SI_DCACHE	6	/* text: dentry cache */
#define SI_SHRINK	7	/* drop what caches only keep, give empty slabs back;
				   returns the slab pages freed */
#define SI_CPU		8	/* struct pagoda_cpu */
#define SI_SET		9	/* buf holds name=value: set a run-time tunable; 0 or -1 */
#define SI_SLABMAP	10	/* buf holds a cache's name: its slabs, one line each and
				   a character per slot ('#' allocated, '.' free) */
#define SI_BLKTRACE	11	/* struct pagoda_blkrec[]: the disk requests since the
				   last call, oldest first (at most 2,048) */
#define SI_VMVIEW	12	/* buf holds pids ("" for all): each address space, its
				   page tables and who shares them, a JSON line per
				   process (kernel/proc/vmview.h) */

/* mmap */
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define MAP_SHARED	0x1
#define MAP_PRIVATE	0x2

#ifndef __ASSEMBLER__
struct pagoda_proc {
	int pid, ppid, state;	/* state: 1 runnable, 2 running, 3 sleeping, 4 zombie */
	unsigned rss;		/* pages */
	char name[16];
	unsigned kmem;		/* bytes of kernel memory it costs (kernel/proc/proc.c proc_kmem) */
	/* ...by piece: struct proc, kernel stack, page directory, its own page
	   tables, its share of shared ones, rmap items and table records,
	   regions and struct mm, its share of its open files */
	unsigned kmem_parts[8];
};

/* SI_CPU: where the time went. Under QEMU -icount the TSC counts guest
   instructions, but idle time is host time; busy = TSC delta - idle delta. */
struct pagoda_cpu {
	unsigned long long idle_cycles;	/* TSC cycles halted, waiting for an interrupt */
	unsigned ticks;			/* timer ticks since boot (HZ 100) */
	unsigned user_ticks;		/* ...that found the CPU in user mode */
	unsigned system_ticks;		/* ...in the kernel */
	unsigned idle_ticks;		/* ...halted */
	unsigned interrupts;		/* device interrupts since boot */
	unsigned switches;		/* context switches since boot */
	unsigned wakeups;		/* sleeping tasks made runnable since boot */
};

struct pagoda_blkrec {
	unsigned lba;
	unsigned short count;	/* sectors */
	unsigned char dev;	/* 0 hda, 1 hdb, ... in the kernel's table */
	unsigned char write;
};

struct pagoda_dirent {
	unsigned ino;
	unsigned char type;	/* 1 file, 2 directory, 3 device */
	unsigned char name_len;
	char name[256];
};
#endif
#endif
