/*
 * kernel/proc.h: processes and the scheduler.
 *
 * A process is an address space (struct mm), a kernel stack of one page
 * whose top holds the trap frame of its user state, open files and a
 * current directory. The kernel is not preemptible: a process in the
 * kernel runs until it sleeps or returns to user mode; the timer only
 * preempts user code. That is what lets the rest of the kernel go without
 * locks on one CPU (interrupt handlers touch only their own state).
 *
 * Life cycle: EMBRYO (being made) -> RUNNABLE <-> RUNNING <-> SLEEPING,
 * then ZOMBIE after exit until the parent's wait reaps it. Orphans are
 * re-parented to init (pid 1).
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdint.h>
#include "kernel/lib.h"
#include "kernel/trap.h"

#define NOFILE		16	/* open files per process */
#define PROC_NAME	16

enum proc_state { P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

/* Registers kept across swtch (the rest are saved by the caller). */
struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};

struct file;
struct dentry;
struct mm;

struct proc {
	int pid;
	enum proc_state state;
	char name[PROC_NAME];
	struct mm *mm;
	uint8_t *kstack;		/* one page; the trap frame sits at its top */
	struct trapframe *tf;
	struct context *context;	/* where swtch left this process's kernel stack */
	void *chan;			/* what a SLEEPING process waits for */
	int killed;
	int exit_status;
	uint32_t heap_start, brk;	/* the sbrk heap: [heap_start, brk) */
	struct proc *parent;
	struct list_head children;	/* our children's sibling links */
	struct list_head sibling;
	struct list_head link;		/* on the run queue or the sleep list */
	struct list_head all;		/* every process */
	struct file *ofile[NOFILE];
	struct dentry *cwd;
	uint32_t start_ticks;
};

extern struct proc *current;
extern struct list_head all_procs;
extern uint32_t nprocs;

/* Make the process cache. */
void proc_init(void);
void __attribute__((noreturn)) scheduler(void);
/* Run cmd ("/bin/init", or the init= option: a path and arguments) as pid 1,
   then schedule forever. */
void __attribute__((noreturn)) user_start(const char *cmd);

int proc_fork(void);
void __attribute__((noreturn)) proc_exit(int status);
/* Wait for a child (pid, or any if pid <= 0) to exit: its pid, -ECHILD, or
   -EINTR; with nohang, 0 at once if none has exited yet. */
int proc_wait(int pid, int *status, bool nohang);
int proc_kill(int pid);
/* Give up the CPU; the caller stays RUNNABLE. */
void yield(void);
/* Sleep on chan until wakeup(chan); interrupts must be off, and are off on return. */
void sleep_on(void *chan);
void wakeup(void *chan);
/* Kill the current process for a fault it cannot survive, with a message. */
void __attribute__((noreturn)) proc_fault_kill(const char *what);
struct proc *proc_find(int pid);
#endif
