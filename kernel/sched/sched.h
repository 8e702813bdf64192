/*
 * kernel/sched/sched.h: tasks, the run queue, and waiting.
 *
 * A task is a thread of kernel execution: a kernel stack, the registers
 * swtch left on it, and a state. Every process (kernel/proc) is a task
 * with an address space and open files around it; a kernel thread is a
 * bare task. The kernel is not preemptible: a task in the kernel runs
 * until it sleeps or yields; the timer preempts only user code (the
 * process layer yields on the way back to user mode). That, on one CPU,
 * is what lets the rest of the kernel go without locks: interrupt
 * handlers touch only their own state, and wake tasks.
 *
 * Waiting: a task sleeps on a wait queue that belongs to what it waits
 * for (a pipe, the console's input, a parent waiting for its children),
 * so waking a queue touches exactly its waiters; sleep_until waits on the
 * timer list, kept in order of wake-up time. The rule against lost
 * wakeups: test the condition and sleep with interrupts off, and test
 * again after waking (a wakeup means "look again", not "it happened").
 * A kill ends any sleep: the sleeper returns -EINTR and must give up.
 *
 *   NEW --task_start--> RUNNABLE <--yield/preempt-- RUNNING --exit--> DEAD
 *                            ^                          |
 *                            +--wake, kill, tick--- SLEEPING
 *
 * Invariants (interrupts off whenever they are touched): a RUNNABLE task
 * is on the run queue; a SLEEPING one is on exactly one wait queue or the
 * timer list, and t->waitq says which; the RUNNING task is current_task
 * and on no list. CR3 holds current_task->cr3 while a task runs.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/swtch.h"
#include "kernel/lib/list.h"
#include "kernel/lib/rbtree.h"

/* The numbers are what ps shows (the user ABI's process states). */
enum task_state { TASK_NEW, TASK_RUNNABLE, TASK_RUNNING, TASK_SLEEPING, TASK_DEAD };

#define TASK_KTHREAD	0x1	/* a kernel thread: no process around it */

struct waitq {
	struct list_head waiters;	/* sleeping tasks, in arrival order */
};

#define WAITQ_INIT(q)	{ LIST_HEAD_INIT((q).waiters) }

struct task {
	enum task_state state;		/* changed with interrupts off */
	unsigned flags;			/* TASK_* */
	bool killed;			/* a kill is pending: sleeps end with -EINTR */
	struct context *context;	/* where swtch left this task's stack */
	uint32_t kstack_top;		/* tss.esp0 while it runs: traps from ring 3 land here */
	uint32_t *kstack_canary;	/* the lowest word of its kernel stack, STACK_CANARY
					   while the stack has not overflowed (NULL: unchecked) */
	uint32_t cr3;			/* its page directory (physical), kept by sched_set_cr3 */
	struct waitq *waitq;		/* SLEEPING: its wait queue; NULL: the timer list */
	uint32_t wake_tick;		/* SLEEPING on the timer list: when to wake */
	struct list_head link;		/* on the run queue or a wait queue */
	struct rb_node timer_rb;	/* on the timer list: a tree by wake_tick */
};

/* The running task; NULL while the scheduler loop (or kmain) runs. */
extern struct task *current_task;

/* Make t a NEW task whose first run starts entry on the stack below sp. */
void task_setup(struct task *t, uint32_t sp, void (*entry)(void));
/* Put a NEW task on the run queue. */
void task_start(struct task *t);
/* Run tasks forever: kmain's last call. */
void scheduler(void) __attribute__((noreturn));
/* Give up the CPU; the current task stays runnable. */
void yield(void);
/* The current task is done: DEAD, it never runs again (its owner frees it). */
void task_exit(void) __attribute__((noreturn));
/* Mark t killed and end its sleep, if it sleeps. */
void task_kill(struct task *t);

/* Has the current task been killed (so that it should stop waiting)? */
static inline bool task_killed(void)
{
	return current_task && current_task->killed;
}

/* Make q an empty wait queue. */
void waitq_init(struct waitq *q);
/* Sleep on q until woken; interrupts must be off, and are off on return.
   0 when woken, -EINTR if the task was (or is) killed. */
int waitq_sleep(struct waitq *q);
/* Make every task sleeping on q runnable; returns how many. */
int waitq_wake(struct waitq *q);
/* Are tasks sleeping on q? */
bool waitq_active(const struct waitq *q);

/* Sleep until the tick count reaches tick; interrupts off, as waitq_sleep. */
int sleep_until(uint32_t tick);
/* The timer's interrupt: the tick count is now now; wake whoever is due. */
void sched_tick(uint32_t now);
/* The current task runs on page directory cr3 (physical) from now on. */
void sched_set_cr3(uint32_t cr3);

#define STACK_CANARY	0x57ac6e1du	/* checked at every switch away from a task */

struct sched_stats {
	uint32_t switches;		/* swtch into a task */
	uint32_t wakeups;		/* tasks made runnable by a wake, tick or kill */
	uint32_t runnable;		/* on the run queue now */
	uint32_t timer_sleepers;	/* on the timer list now */
};
extern struct sched_stats sched_stats;
#endif
