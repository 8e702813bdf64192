/*
 * kernel/proc.c: process creation, the scheduler, sleep and wakeup, exit
 * and wait. See kernel/proc.h for the rules.
 *
 * The scheduler runs on the boot stack in its own context; swtch moves
 * between it and a process's kernel stack. The run queue is FIFO (round
 * robin); the timer sends a process running in user mode to its tail.
 * Sleepers sit on one list and wakeup scans it for their channel.
 */
#include "kernel/proc.h"
#include "boot/gdt.h"
#include "fs/file.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/vm.h"

struct proc *current;
struct list_head all_procs = LIST_HEAD_INIT(all_procs);
uint32_t nprocs;
static struct list_head runq = LIST_HEAD_INIT(runq);
static struct list_head sleepers = LIST_HEAD_INIT(sleepers);
static struct context *sched_ctx;
static struct kmem_cache *proc_cache;
static int next_pid = 1;
static struct proc *initproc;

void swtch(struct context **old, struct context *new);
void trapret(void);

/* Where a new process starts: its first swtch returns here, then to trapret. */
static void forkret(void)
{
	/* nothing to release: the kernel holds no locks */
}

static struct proc *proc_alloc(void)
{
	struct proc *p;
	uint8_t *sp;

	if (nprocs >= NPROC || !(p = kmem_cache_alloc(proc_cache)))
		return NULL;
	memset(p, 0, sizeof(*p));
	if (!(p->kstack = page_alloc_zeroed())) {
		kmem_cache_free(proc_cache, p);
		return NULL;
	}
	sp = p->kstack + PGSIZE;
	sp -= sizeof(*p->tf);
	p->tf = (struct trapframe *)sp;
	sp -= 4;
	*(uint32_t *)sp = (uint32_t)trapret;
	sp -= sizeof(*p->context);
	p->context = (struct context *)sp;
	p->context->eip = (uint32_t)forkret;
	p->pid = next_pid++;
	p->state = P_EMBRYO;
	p->start_ticks = timer_ticks();
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->link);
	list_add_tail(&p->all, &all_procs);
	nprocs++;
	return p;
}

static void proc_free(struct proc *p)
{
	list_del(&p->all);
	list_del(&p->sibling);
	free_page_addr(p->kstack);
	kmem_cache_free(proc_cache, p);
	nprocs--;
}

static void make_runnable(struct proc *p)
{
	p->state = P_RUNNABLE;
	list_add_tail(&p->link, &runq);
}

void scheduler(void)
{
	for (;;) {
		cli();
		if (list_empty(&runq)) {
			sti();
			vfs_sync_tick();		/* idle: a good time to write back */
			cli();
			if (list_empty(&runq))
				__asm__ volatile("sti; hlt");	/* wait for an interrupt */
			continue;
		}
		struct proc *p = list_entry(runq.next, struct proc, link);
		list_del(&p->link);
		p->state = P_RUNNING;
		current = p;
		tss.esp0 = (uint32_t)p->kstack + PGSIZE;
		mm_activate(p->mm);
		swtch(&sched_ctx, p->context);
		current = NULL;
	}
}

/* Back to the scheduler; interrupts off, current's state already set. */
static void sched(void)
{
	swtch(&current->context, sched_ctx);
}

void yield(void)
{
	int was = irq_save();

	make_runnable(current);
	sched();
	irq_restore(was);
}

void sleep_on(void *chan)
{
	current->chan = chan;
	current->state = P_SLEEPING;
	list_add_tail(&current->link, &sleepers);
	sched();
	current->chan = NULL;
}

void wakeup(void *chan)
{
	struct list_head *pos, *next;
	int was = irq_save();

	for (pos = sleepers.next; pos != &sleepers; pos = next) {
		struct proc *p = list_entry(pos, struct proc, link);
		next = pos->next;
		if (p->chan == chan) {
			list_del(&p->link);
			make_runnable(p);
		}
	}
	irq_restore(was);
}

struct proc *proc_find(int pid)
{
	struct list_head *pos;

	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

int proc_fork(void)
{
	struct proc *c;

	/* leave room for the faults that follow a fork, or the parent dies of one */
	if (page_free_count() < FORK_RESERVE_PAGES)
		return -EAGAIN;
	if (!(c = proc_alloc()))
		return -EAGAIN;
	if (!(c->mm = mm_fork(current->mm))) {
		proc_free(c);
		return -ENOMEM;
	}
	*c->tf = *current->tf;
	c->tf->eax = 0;			/* fork returns 0 in the child */
	for (int i = 0; i < NOFILE; i++)
		if (current->ofile[i])
			c->ofile[i] = vfs_dup(current->ofile[i]);
	c->cwd = current->cwd ? dget(current->cwd) : NULL;
	c->heap_start = current->heap_start;
	c->brk = current->brk;
	strlcpy(c->name, current->name, sizeof(c->name));
	c->parent = current;
	list_add_tail(&c->sibling, &current->children);
	int was = irq_save();
	make_runnable(c);
	irq_restore(was);
	return c->pid;
}

/* Give current's children to init, waking it if one is already a zombie. */
static void reparent_children(void)
{
	while (!list_empty(&current->children)) {
		struct proc *c = list_entry(current->children.next, struct proc, sibling);
		list_del(&c->sibling);
		c->parent = initproc;
		list_add_tail(&c->sibling, &initproc->children);
		if (c->state == P_ZOMBIE)
			wakeup(initproc);
	}
}

void proc_exit(int status)
{
	if (current == initproc) {
		if (bootopts.harness) {		/* the test program ran as init: done */
			printk("init exited with status %d\n", status);
			if (root_sb && vfs_sync(root_sb) < 0)
				printk(KERN_ERR "init: the root file system did not sync\n");
			machine_exit(status == 0 ? EXIT_PASS : EXIT_FAIL);
		}
		panic("proc_exit: init exited with status %d", status);
	}
	for (int i = 0; i < NOFILE; i++)
		if (current->ofile[i]) {
			vfs_close(current->ofile[i]);
			current->ofile[i] = NULL;
		}
	if (current->cwd)
		dput(current->cwd);
	current->cwd = NULL;
	reparent_children();
	mm_destroy(current->mm);	/* switches to the boot directory first */
	current->mm = NULL;
	cli();
	current->exit_status = status;
	current->state = P_ZOMBIE;
	wakeup(current->parent);
	sched();
	panic("proc_exit: a zombie ran again");
}

int proc_wait(int pid, int *status, bool nohang)
{
	for (;;) {
		struct list_head *pos;
		bool have = false;

		list_for_each(pos, &current->children) {
			struct proc *c = list_entry(pos, struct proc, sibling);
			if (pid > 0 && c->pid != pid)
				continue;
			have = true;
			if (c->state == P_ZOMBIE) {
				int cpid = c->pid;
				if (status)
					*status = c->exit_status;
				proc_free(c);
				return cpid;
			}
		}
		if (!have)
			return -ECHILD;
		if (nohang)
			return 0;
		if (current->killed)
			return -EINTR;
		cli();
		sleep_on(current);	/* a child's exit wakes us */
		sti();
	}
}

int proc_kill(int pid)
{
	struct proc *p = proc_find(pid);
	int was;

	if (!p || p->state == P_ZOMBIE)
		return -ESRCH;
	if (p == initproc)
		return -EPERM;			/* init's exit would end the system */
	p->killed = 1;
	was = irq_save();
	if (p->state == P_SLEEPING) {	/* let it notice */
		list_del(&p->link);
		make_runnable(p);
	}
	irq_restore(was);
	return 0;
}

void proc_fault_kill(const char *what)
{
	printk(KERN_ERR "pid %d (%s): killed: %s\n", current->pid, current->name, what);
	proc_exit(-1);
}

void proc_init(void)
{
	proc_cache = kmem_cache_create("proc", sizeof(struct proc), 0, NULL, 0);
	if (!proc_cache)
		panic("proc_init: out of memory");
}

/* fds 0, 1, 2 of init: the console, made if the root has no /dev/console. */
static int open_console(void)
{
	struct file *f;

	vfs_mkdir("/dev", NULL);
	vfs_mknod("/dev/console", NULL, CONSOLE_MAJOR, 0);
	f = vfs_open("/dev/console", O_RDWR, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	current->ofile[0] = f;
	current->ofile[1] = vfs_dup(f);
	current->ofile[2] = vfs_dup(f);
	return 0;
}

/* Split cmd at spaces into argv (at most MAXARG words); cmd is changed. */
static void split_words(char *cmd, char *argv[])
{
	int n = 0;

	for (char *s = cmd; *s && n < MAXARG;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		argv[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	argv[n] = NULL;
}

void user_start(const char *cmd)
{
	static char line[NOPTVALUE];
	char *argv[MAXARG + 1];
	struct proc *p;
	int r;

	if (!root_sb)
		panic("user_start: no root file system to find %s on", cmd);
	if (!(p = proc_alloc()))
		panic("user_start: out of memory");
	initproc = current = p;
	p->cwd = dget(root_sb->root);
	strlcpy(line, cmd, sizeof(line));
	split_words(line, argv);
	if ((r = open_console()) < 0 || (r = exec(argv[0], argv)) < 0)
		panic("user_start: cannot run %s (error %d)", argv[0], r);
	current = NULL;
	mm_activate(NULL);
	make_runnable(p);
	printk("init: pid %d running %s\n", p->pid, argv[0]);
	scheduler();
}
