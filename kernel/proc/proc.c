/*
 * kernel/proc/proc.c: process creation, exit and wait, kill, and the
 * first process. See kernel/proc/proc.h for the rules; the scheduling
 * itself is kernel/sched's.
 *
 * A new process's kernel stack is laid out so that its first switch
 * "returns" into forkret and from there into trapret, which pops the
 * trap frame (a copy of the parent's, or the one exec built) and irets
 * into user mode.
 */
#include "kernel/proc/proc.h"
#include "fs/file.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/exec.h"
#include "kernel/proc/wsb.h"
#include "mm/page.h"
#include "mm/reclaim.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vm.h"

struct list_head all_procs = LIST_HEAD_INIT(all_procs);
uint32_t nprocs;
static struct kmem_cache *proc_cache, *kstack_cache;
static int next_pid = 1;

/* pid -> process, so that kill and waitpid do not walk every process. pids
   are handed out in order, so pid % NPIDHASH spreads them evenly. */
#define NPIDHASH	1024
static struct proc *pid_hash[NPIDHASH];
static struct proc *initproc;
static void (*init_exit)(int status);

/* Where a new process starts: its first swtch returns here, then to trapret. */
static void forkret(void)
{
	/* nothing to release: the kernel holds no locks */
}

/* A new process (a NEW task) whose first run starts at entry, then returns to user mode. */
static struct proc *proc_alloc(void (*entry)(void))
{
	struct proc *p;
	uint8_t *sp;

	if (nprocs >= NPROC || !(p = kmem_cache_alloc(proc_cache)))
		return NULL;
	memset(p, 0, sizeof(*p));
	if (!(p->kstack = kmem_cache_alloc(kstack_cache)) &&
	    (p->kstack_page = true, !(p->kstack = page_alloc_zeroed()))) {
		kmem_cache_free(proc_cache, p);
		return NULL;
	}
	memset(p->kstack, 0, KSTACK_SIZE);	/* zeros: the high-water mark's paint */
	*(uint32_t *)p->kstack = STACK_CANARY;
	sp = p->kstack + KSTACK_SIZE;
	sp -= sizeof(*p->tf);
	p->tf = (struct trapframe *)sp;
	sp -= 4;
	*(uint32_t *)sp = (uint32_t)trapret;
	task_setup(&p->task, (uint32_t)sp, entry);
	p->task.kstack_top = (uint32_t)p->kstack + KSTACK_SIZE;
	p->task.kstack_canary = (uint32_t *)p->kstack;
	p->pid = next_pid++;
	p->pid_next = pid_hash[p->pid % NPIDHASH];
	pid_hash[p->pid % NPIDHASH] = p;
	p->start_ticks = timer_ticks();
	waitq_init(&p->child_exit);
	list_init(&p->children);
	list_init(&p->zombies);
	list_init(&p->sibling);
	list_add_tail(&p->all, &all_procs);
	nprocs++;
	return p;
}

uint32_t kstack_max_used;

/* How deep p's kernel stack ever went: it starts zeroed, so the lowest
   byte that is not zero marks the high-water line (a measurement for part
   I: could a kernel stack be smaller than a page?). */
static void kstack_watermark(struct proc *p)
{
	const uint32_t *w = (const uint32_t *)p->kstack;
	uint32_t low = 1;			/* (word 0 is the canary) */

	if (w[0] != STACK_CANARY)
		panic("kernel stack overflow: pid %d's stack ran past its bottom", p->pid);
	while (low < KSTACK_SIZE / 4 && w[low] == 0)	/* a word at a time: every exit */
		low++;
	if (KSTACK_SIZE - low * 4 > kstack_max_used)
		kstack_max_used = KSTACK_SIZE - low * 4;
}

static void proc_free(struct proc *p)
{
	KASSERT(p->task.state == TASK_DEAD || p->task.state == TASK_NEW);
	KASSERT(!p->mm && list_empty(&p->children) && list_empty(&p->zombies));
	for (struct proc **pp = &pid_hash[p->pid % NPIDHASH]; *pp; pp = &(*pp)->pid_next)
		if (*pp == p) {
			*pp = p->pid_next;
			break;
		}
	list_del(&p->all);
	list_del(&p->sibling);
	kstack_watermark(p);
	if (p->kstack_page)
		free_page_addr(p->kstack);
	else
		kmem_cache_free(kstack_cache, p->kstack);
	kmem_cache_free(proc_cache, p);
	nprocs--;
}

uint32_t proc_kmem(struct proc *p, struct proc_kmem *k)
{
	*k = (struct proc_kmem){ .proc = proc_cache->size,
				 .kstack = p->kstack_page ? PGSIZE : kstack_cache->size };
	for (int i = 0; i < NOFILE; i++)
		if (p->ofile[i])			/* shared with fork and dup: a share */
			k->files += sizeof(struct file) / MAX(p->ofile[i]->refcount, 1);
	if (p->mm)
		mm_kmem(p->mm, &k->mm);
	return k->proc + k->kstack + k->files + k->mm.pgdir + k->mm.tables + k->mm.shared +
	       k->mm.rmap + k->mm.regions;
}

struct proc *proc_find(int pid)
{
	if (pid <= 0)
		return NULL;
	for (struct proc *p = pid_hash[pid % NPIDHASH]; p; p = p->pid_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

int proc_fork(void)
{
	struct proc *c;

	/* leave room for the faults that follow a fork, or the parent dies of one */
	if (page_free_count() < FORK_RESERVE_PAGES)
		return -EAGAIN;
	if (!(c = proc_alloc(forkret)))
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
	c->task.cr3 = c->mm->cr3;
	task_start(&c->task);
	return c->pid;
}

/* Give current's children, living and dead, to init, waking it for the dead. */
static void reparent_children(void)
{
	while (!list_empty(&current->children)) {
		struct proc *c = list_entry(current->children.next, struct proc, sibling);
		list_del(&c->sibling);
		c->parent = initproc;
		list_add_tail(&c->sibling, &initproc->children);
	}
	if (list_empty(&current->zombies))
		return;
	while (!list_empty(&current->zombies)) {
		struct proc *c = list_entry(current->zombies.next, struct proc, sibling);
		list_del(&c->sibling);
		c->parent = initproc;
		list_add_tail(&c->sibling, &initproc->zombies);
	}
	waitq_wake(&initproc->child_exit);
}

void proc_set_init_exit(void (*fn)(int status))
{
	init_exit = fn;
}

/* Let go of what p holds: open files, current directory, address space. */
static void proc_release(struct proc *p)
{
	for (int i = 0; i < NOFILE; i++)
		if (p->ofile[i]) {
			vfs_close(p->ofile[i]);
			p->ofile[i] = NULL;
		}
	if (p->cwd)
		dput(p->cwd);
	p->cwd = NULL;
	if (p->mm) {
		wsb_exit(p->mm);	/* what it touched, into its executable's bitmap */
		mm_destroy(p->mm);	/* switches to the boot directory first if loaded */
	}
	p->mm = NULL;
}

void proc_exit(int status)
{
	if (current == initproc) {
		if (init_exit)
			init_exit(status);
		panic("proc_exit: init exited with status %d", status);
	}
	KASSERT(current->mm && current->parent);
	reparent_children();
	proc_release(current);
	cli();
	current->exit_status = status;
	list_del(&current->sibling);	/* to the parent's zombies, for wait to find at once */
	list_add_tail(&current->sibling, &current->parent->zombies);
	waitq_wake(&current->parent->child_exit);
	task_exit();			/* a zombie until the parent reaps it */
}

/* A zombie child of current's that wait(pid) may reap (pid <= 0: any), or NULL. */
static struct proc *reapable(int pid)
{
	struct proc *c;

	if (pid <= 0)
		return list_empty(&current->zombies) ? NULL :
		       list_entry(current->zombies.next, struct proc, sibling);
	c = proc_find(pid);
	return c && c->parent == current && c->task.state == TASK_DEAD ? c : NULL;
}

/* Has current a child wait(pid) could wait for? */
static bool has_child(int pid)
{
	struct proc *c;

	if (pid <= 0)
		return !list_empty(&current->children) || !list_empty(&current->zombies);
	return (c = proc_find(pid)) != NULL && c->parent == current;
}

/* O(1) in the number of processes and of children: a pid is found through
   the pid hash, a dead child is on its parent's zombie list. */
int proc_wait(int pid, int *status, bool nohang)
{
	for (;;) {
		struct proc *c = reapable(pid);

		if (c) {
			int cpid = c->pid;
			if (status)
				*status = c->exit_status;
			proc_free(c);
			return cpid;
		}
		if (!has_child(pid))
			return -ECHILD;
		if (nohang)
			return 0;
		cli();
		int r = waitq_sleep(&current->child_exit);	/* a child's exit wakes us */
		sti();
		if (r < 0)
			return -EINTR;
	}
}

int proc_kill(int pid)
{
	struct proc *p = proc_find(pid);

	if (!p || p->task.state == TASK_DEAD)
		return -ESRCH;
	if (p == initproc)
		return -EPERM;			/* init's exit would end the system */
	task_kill(&p->task);		/* a sleep ends; the way out to user mode exits */
	return 0;
}

void proc_shutdown(void)
{
	struct list_head *pos;
	int r;

	list_for_each(pos, &all_procs)
		proc_release(list_entry(pos, struct proc, all));
	if (!root_sb)
		return;
	if ((r = vfs_unmount(root_sb)) == 0) {
		root_sb = NULL;
		return;
	}
	printk(KERN_WARNING "shutdown: the root file system stays mounted (error %d); "
	       "writing it back\n", r);
	vfs_sync(root_sb);
}

void proc_fault_kill(const char *what)
{
	printk(KERN_ERR "pid %d (%s): killed: %s\n", current->pid, current->name, what);
	proc_exit(-1);
}

/*
 * The out-of-memory killer, which reclaim calls when it can free nothing
 * more: the process with the most memory (pages mapped plus pages in
 * swap) dies, and the console says why. init is never chosen. A victim
 * already dying is waited for rather than another one killed.
 */
static bool oom_kill(void)
{
	struct proc *victim = NULL;
	uint32_t best = 0;
	struct list_head *pos;

	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);
		uint32_t pages;
		if (p == initproc || !p->mm || p->task.state == TASK_DEAD)
			continue;
		pages = p->mm->rss + mm_swap_entries(p->mm);
		if (pages > best) {
			best = pages;
			victim = p;
		}
	}
	if (!victim)
		return false;
	if (!victim->task.killed) {
		printk(KERN_ERR "oom: out of memory: killed pid %d (%s), the largest process: "
		       "%u KiB mapped, %u KiB in swap; %u KiB free, swap %u of %u KiB used\n",
		       victim->pid, victim->name, victim->mm->rss * 4,
		       mm_swap_entries(victim->mm) * 4, page_free_count() * 4, swap_used() * 4,
		       swap_total() * 4);
		task_kill(&victim->task);
	}
	if (victim == current)
		return false;		/* the fault fails, and the way out exits */
	yield();			/* let it run, and die */
	return true;
}

void proc_init(void)
{
	proc_cache = kmem_cache_create("proc", sizeof(struct proc), 0, NULL, 0);
	kstack_cache = kmem_cache_create("kstack", KSTACK_SIZE, 16, NULL, 0);
	if (!proc_cache || !kstack_cache)
		panic("proc_init: out of memory");
	reclaim_set_oom_killer(oom_kill);
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

static char init_line[NOPTVALUE];

/*
 * The first process's first run, in its own task: open the console and
 * exec the init program; returning lands in trapret, which enters it.
 */
static void init_entry(void)
{
	char *argv[MAXARG + 1];
	int r;

	sti();			/* exec reads the disk, which wants interrupts */
	split_words(init_line, argv);
	if ((r = open_console()) < 0)	/* (a read-only root needs /dev/console made) */
		panic("user_start: cannot open /dev/console (error %d)", r);
	if ((r = exec(argv[0], argv)) < 0)
		panic("user_start: cannot run %s (error %d)", argv[0], r);
	printk("init: pid %d running %s\n", current->pid, argv[0]);
	cli();			/* trapret's iret turns them back on */
}

void user_start(const char *cmd)
{
	struct proc *p;

	if (!root_sb)
		panic("user_start: no root file system to find %s on", cmd);
	if (!(p = proc_alloc(init_entry)))
		panic("user_start: out of memory");
	initproc = p;
	p->cwd = dget(root_sb->root);
	p->task.cr3 = V2P(boot_pgdir);
	strlcpy(init_line, cmd, sizeof(init_line));
	task_start(&p->task);
	scheduler();
}
