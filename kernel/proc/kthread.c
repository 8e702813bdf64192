/*
 * kernel/proc/kthread.c: kernel threads, tasks with no process around them.
 *
 * A kernel thread runs one function for ever, in the kernel, on the boot
 * page directory (it touches no user memory). Lower layers provide such
 * functions (the VFS's write-back daemon) and kmain starts them here,
 * where allocating a task and its stack is allowed.
 */
#include "kernel/arch/mmu.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "mm/page.h"
#include "mm/slab.h"

struct kthread {
	struct task task;		/* first: the task is the thread */
	char name[PROC_NAME];
	void (*fn)(void);
};

/* Every kernel thread starts here, with interrupts off from the switch. */
static void kthread_main(void)
{
	struct kthread *k = container_of(current_task, struct kthread, task);

	sti();
	k->fn();
	panic("kthread %s: its function returned", k->name);
}

struct task *kthread_start(const char *name, void (*fn)(void))
{
	struct kthread *k = kzalloc(sizeof(*k));
	uint8_t *stack = k ? page_alloc_zeroed() : NULL;

	if (!stack) {
		kfree(k);
		return NULL;
	}
	strlcpy(k->name, name, sizeof(k->name));
	k->fn = fn;
	task_setup(&k->task, (uint32_t)stack + PGSIZE - 4, kthread_main);
	k->task.flags = TASK_KTHREAD;
	k->task.kstack_top = (uint32_t)stack + PGSIZE;
	k->task.cr3 = V2P(boot_pgdir);
	task_start(&k->task);
	return &k->task;
}
