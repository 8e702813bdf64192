/*
 * kernel/proc/proc.h: processes.
 *
 * A process is a task (kernel/sched: its kernel stack, registers and
 * scheduling state) with an address space (struct mm), open files, a
 * current directory, and a place in the family tree. The trap frame of its
 * user state sits at the top of its kernel stack.
 *
 * Life cycle: proc_fork makes a child (a NEW task), the scheduler runs it,
 * proc_exit frees what it holds but its struct and stack (its task is
 * DEAD: a zombie), and the parent's proc_wait reaps it. Orphans are
 * re-parented to init (pid 1). The rest of the kernel reaches a process's
 * task-level state (killed, sleeping) through kernel/sched/sched.h.
 */
#ifndef KERNEL_PROC_PROC_H
#define KERNEL_PROC_PROC_H

#include <stdint.h>
#include "kernel/arch/trap.h"
#include "kernel/lib/list.h"
#include "kernel/sched/sched.h"
#include "mm/vm.h"

#define NOFILE		16	/* open files per process */
#define PROC_NAME	16

/*
 * A process's kernel stack: three quarters of a page, from a slab cache.
 * The deepest any stack went over usertests, in 128 MiB and in 16 MiB
 * with swap, was 1,620 bytes (kstack-max-used, recorded at every reaping),
 * so this leaves almost half free; a canary at the bottom is checked at
 * every switch, so an overflow panics instead of corrupting a neighbour.
 * It is what lets a sleeping process cost under 16 KiB (docs/processes.md).
 * The slab grows four pages at a time; when memory is too fragmented for
 * that, a process gets a page of its own instead, so fork does not fail.
 */
#define KSTACK_SIZE	3072

struct file;
struct dentry;
struct mm;

struct proc {
	struct task task;		/* scheduling state: first, so a task is its process */
	int pid;
	char name[PROC_NAME];
	struct mm *mm;			/* NULL once it has exited */
	uint8_t *kstack;		/* KSTACK_SIZE bytes; the trap frame sits at its top */
	bool kstack_page;		/* a page of its own (the slab had no block to grow by) */
	struct trapframe *tf;
	int exit_status;
	uint32_t heap_start, brk;	/* the sbrk heap: [heap_start, brk) */
	struct proc *parent;
	struct waitq child_exit;	/* this process waits here for its children */
	struct list_head children;	/* our living children's sibling links */
	struct list_head zombies;	/* ...and those that have exited, not yet reaped */
	struct list_head sibling;	/* on the parent's children, or zombies once dead */
	struct proc *pid_next;		/* pid hash chain (proc_find) */
	struct list_head all;		/* every process */
	struct file *ofile[NOFILE];
	struct dentry *cwd;
	uint32_t start_ticks;
};

_Static_assert(offsetof(struct proc, task) == 0, "a process's task must come first");

/* The process t belongs to, or NULL (no task, or a kernel thread). */
static inline struct proc *proc_of(struct task *t)
{
	return t && !(t->flags & TASK_KTHREAD) ? (struct proc *)t : NULL;
}

/*
 * The running process, in code that runs for one (system calls, user
 * traps, exec): there the running task is always a process, and this is
 * just its address. Code that may run in a kernel thread asks proc_of.
 */
#define current	((struct proc *)current_task)

/* Every process, and how many there are. */
extern struct list_head all_procs;
extern uint32_t nprocs;

/* Bytes of kernel memory p costs, by piece, and in all. */
struct proc_kmem {
	uint32_t proc, kstack, files;	/* its struct, kernel stack, share of its open files */
	struct mm_kmem mm;		/* its address space's (mm_kmem) */
};
uint32_t proc_kmem(struct proc *p, struct proc_kmem *k);
/* The most any process's kernel stack has held, in bytes (at its reaping). */
extern uint32_t kstack_max_used;
/* Make the process cache. */
void proc_init(void);
/* Run cmd ("/bin/init args") as pid 1, then schedule forever. */
void user_start(const char *cmd) __attribute__((noreturn));
/* Fork the current process: the child's pid, -EAGAIN or -ENOMEM. */
int proc_fork(void);
/* End the current process with status; never returns. */
void proc_exit(int status) __attribute__((noreturn));
/* Wait for a child (pid, or any if pid <= 0) to exit: its pid, -ECHILD, or
   -EINTR; with nohang, 0 at once if none has exited yet. */
int proc_wait(int pid, int *status, bool nohang);
/* Kill process pid: 0, -ESRCH, or -EPERM for init. */
int proc_kill(int pid);
/* Kill the current process for a fault it cannot survive, with a message. */
void proc_fault_kill(const char *what) __attribute__((noreturn));
/* The live process with this pid, or NULL. */
struct proc *proc_find(int pid);
/* What happens when init exits: by default a panic; the test harness powers off. */
void proc_set_init_exit(void (*fn)(int status));
/*
 * Before the machine stops: every process lets go of its files, its
 * directory and its memory (so that files unlinked while in use are freed
 * on disk), and the root file system is written back and unmounted. No
 * process runs again afterwards.
 */
void proc_shutdown(void);

/* kernel/proc/kthread.c: start a kernel thread running fn (which never
   returns); its task, or NULL if out of memory. */
struct task *kthread_start(const char *name, void (*fn)(void));

/* kernel/proc/usertrap.c: take over the system-call vector, page faults and user traps. */
void usertrap_init(void);
#endif
