/*
 * kernel/sched/sched.c: the run queue, switching, wait queues and the
 * timer list (see kernel/sched/sched.h for the rules).
 *
 * The scheduler loop runs on kmain's stack in a context of its own;
 * swtch moves between it and a task's kernel stack. The run queue is
 * FIFO: round robin, since the process layer sends a task preempted in
 * user mode to its tail. The timer list is a red-black tree by wake-up
 * tick (equal ticks in arrival order), so going to sleep costs O(log n)
 * in the sleepers and a tick looks only at the ones that are due.
 */
#include "kernel/sched/sched.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"

struct task *current_task;
struct sched_stats sched_stats;
static struct list_head runq = LIST_HEAD_INIT(runq);
static struct rb_root timers = RB_ROOT_INIT;	/* by wake_tick (wrap-around safe) */
static struct context *sched_ctx;
static uint32_t now;		/* the tick count sched_tick last saw */

/* Has tick a come (wrap-around safe)? */
static bool due(uint32_t a, uint32_t at)
{
	return (int32_t)(at - a) >= 0;
}

void task_setup(struct task *t, uint32_t sp, void (*entry)(void))
{
	sp -= sizeof(struct context);
	t->context = (struct context *)sp;
	*t->context = (struct context){ .eip = (uint32_t)entry };	/* ebp 0 ends backtraces */
	t->state = TASK_NEW;
	t->killed = false;
	t->kstack_canary = NULL;
	t->waitq = NULL;
	list_init(&t->link);
}

static void make_runnable(struct task *t)
{
	KASSERT(irqs_off() && list_empty(&t->link));
	t->state = TASK_RUNNABLE;
	list_add_tail(&t->link, &runq);
	sched_stats.runnable++;
}

void task_start(struct task *t)
{
	int was = irq_save();

	KASSERT(t->state == TASK_NEW);
	make_runnable(t);
	irq_restore(was);
}

void scheduler(void)
{
	for (;;) {
		cli();
		if (list_empty(&runq)) {
			cpu_idle();		/* wait for an interrupt */
			continue;
		}
		struct task *t = list_entry(runq.next, struct task, link);
		list_del(&t->link);
		sched_stats.runnable--;
		t->state = TASK_RUNNING;
		current_task = t;
		tss.esp0 = t->kstack_top;
		if (t->cr3 && rcr3() != t->cr3)
			lcr3(t->cr3);
		sched_stats.switches++;
		swtch(&sched_ctx, t->context);
		current_task = NULL;
	}
}

/* Back to the scheduler loop; the caller has put current where it belongs. */
static void sched(void)
{
	struct task *t = current_task;

	KASSERT(t && irqs_off());
	if (t->kstack_canary && *t->kstack_canary != STACK_CANARY)
		panic("kernel stack overflow: the task's stack ran past its bottom (%p)",
		      (void *)t->kstack_canary);
	KASSERT(t->state != TASK_RUNNING);
	KASSERT(t->state != TASK_RUNNABLE || !list_empty(&t->link));
	swtch(&t->context, sched_ctx);
	KASSERT(current_task == t && t->state == TASK_RUNNING);
}

void yield(void)
{
	int was = irq_save();

	make_runnable(current_task);
	sched();
	irq_restore(was);
}

void task_exit(void)
{
	cli();
	current_task->state = TASK_DEAD;
	sched();
	panic("task_exit: a dead task ran again");
}

/* Take a sleeping t off its queue or the timer list and run it again. */
static void wake(struct task *t)
{
	KASSERT(t->state == TASK_SLEEPING);
	if (t->waitq) {
		list_del(&t->link);
	} else {
		rb_erase(&timers, &t->timer_rb);
		sched_stats.timer_sleepers--;
	}
	t->waitq = NULL;
	sched_stats.wakeups++;
	make_runnable(t);
}

void task_kill(struct task *t)
{
	int was = irq_save();

	t->killed = true;
	if (t->state == TASK_SLEEPING)
		wake(t);
	irq_restore(was);
}

void waitq_init(struct waitq *q)
{
	list_init(&q->waiters);
}

/* Sleep with current already on the list it waits on. */
static int sleep_here(void)
{
	current_task->state = TASK_SLEEPING;
	sched();
	return current_task->killed ? -EINTR : 0;
}

int waitq_sleep(struct waitq *q)
{
	KASSERT(irqs_off() && current_task);
	if (current_task->killed)
		return -EINTR;
	current_task->waitq = q;
	list_add_tail(&current_task->link, &q->waiters);
	return sleep_here();
}

int waitq_wake(struct waitq *q)
{
	int was = irq_save(), n = 0;

	while (!list_empty(&q->waiters)) {
		wake(list_entry(q->waiters.next, struct task, link));
		n++;
	}
	irq_restore(was);
	return n;
}

bool waitq_active(const struct waitq *q)
{
	return !list_empty(&q->waiters);
}

int sleep_until(uint32_t tick)
{
	struct rb_node **link = &timers.node, *parent = NULL;

	KASSERT(irqs_off() && current_task);
	if (current_task->killed)
		return -EINTR;
	if (due(tick, now))
		return 0;
	current_task->waitq = NULL;
	current_task->wake_tick = tick;
	while (*link) {			/* after everyone due no later: FIFO among equals */
		parent = *link;
		link = due(rb_entry(parent, struct task, timer_rb)->wake_tick, tick) ?
		       &parent->right : &parent->left;
	}
	rb_insert(&timers, &current_task->timer_rb, parent, link);
	sched_stats.timer_sleepers++;
	return sleep_here();
}

void sched_tick(uint32_t tick)
{
	struct rb_node *first;

	now = tick;
	while ((first = rb_first(&timers)) != NULL) {
		struct task *t = rb_entry(first, struct task, timer_rb);
		if (!due(t->wake_tick, now))
			break;
		wake(t);
	}
}

void sched_set_cr3(uint32_t cr3)
{
	if (current_task)
		current_task->cr3 = cr3;
	lcr3(cr3);
}
