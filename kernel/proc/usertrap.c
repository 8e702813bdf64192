/*
 * kernel/proc/usertrap.c: what traps mean for processes.
 *
 *   int $64 from user mode ..... a system call (kernel/proc/syscall.c)
 *   a page fault from user mode  vm_fault serves it, or the process dies
 *   a page fault in the kernel . at a uaccess instruction: served, or the
 *                                copy returns -EFAULT; anywhere else a
 *                                kernel bug, which panics
 *   any other user exception ... the process dies, with a message
 *   any trap in virtual-8086 mode  the process dies: Pagoda runs no v86
 *                                code (an iret can get there on QEMU)
 *   on the way back to user mode a kill takes effect, and the timer's
 *                                tick preempts (round robin)
 *
 * mm only resolves faults (mm/fault.c); deciding what an unserved one
 * means is done here, where the process and its fate are known.
 */
#include "kernel/arch/uaccess.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "mm/vm.h"

static unsigned fault_flags(const struct trapframe *tf)
{
	return (tf->err & 2 ? FAULT_WRITE : 0) | (tf->err & 4 ? FAULT_USER : 0) |
	       (tf->err & 1 ? FAULT_PRESENT : 0);
}

/* A user page fault: served, or the process dies saying why. */
static void user_pgfault(struct trapframe *tf)
{
	uint32_t va = rcr2();
	enum fault_class c = vm_fault(current->mm, va, fault_flags(tf));
	char why[160];

	if (fault_served(c))
		return;
	vm_fault_describe(current->mm, va, fault_flags(tf), c, why, sizeof(why));
	proc_fault_kill(why);
}

/* A page fault in the kernel: only the uaccess copy may fault, on user addresses. */
static void kernel_pgfault(struct trapframe *tf)
{
	uint32_t va = rcr2(), fixup = uaccess_fixup(tf->eip);
	struct mm *mm;

	if (va >= USER_TOP)
		panic_trap(tf, NULL);
	if (!fixup || !(mm = mm_active()))
		panic_trap(tf, "kernel fault on a user address");
	if (!fault_served(vm_fault(mm, va, fault_flags(tf))))
		tf->eip = fixup;	/* the copy returns -EFAULT */
}

/* An exception in user mode that nothing serves: the process dies. */
static void user_fault(struct trapframe *tf)
{
	char why[96];

	snprintf(why, sizeof(why), "trap %u (%s), error 0x%x, at eip %p", tf->trapno,
		 trap_name(tf->trapno), tf->err, (void *)tf->eip);
	proc_fault_kill(why);
}

/*
 * On the way back to user mode after an interrupt (already acknowledged):
 * a process found in virtual-8086 mode dies, a kill takes effect, the
 * timer preempts, and a kill that arrived while we were preempted takes
 * effect too.
 */
static void user_return(struct trapframe *tf)
{
	if (tf->eflags & FL_VM)
		proc_fault_kill("entered virtual-8086 mode");
	if (current_task->killed)
		proc_exit(-1);
	if (tf->trapno == T_IRQ0 + IRQ_TIMER) {
		yield();
		if (current_task->killed)
			proc_exit(-1);
	}
}

/*
 * A system call: the hottest path in the kernel, so it does no more than
 * it must. A killed process makes no more calls, and a kill that arrived
 * during this one takes effect before the return to user mode.
 */
static void user_syscall(struct trapframe *tf)
{
	if (current_task->killed)
		proc_exit(-1);
	syscall(tf);
	if (current_task->killed)
		proc_exit(-1);
}

/*
 * An exception from user mode: a page fault, or one that nothing serves.
 * Virtual-8086 mode is refused first (nothing on the way in sets FL_VM,
 * and none of the frame means what it would in ring 3).
 */
static void user_trap(struct trapframe *tf)
{
	KASSERT(proc_of(current_task));		/* only processes run in ring 3 */
	if (tf->eflags & FL_VM)
		proc_fault_kill("entered virtual-8086 mode");
	if (tf->trapno == T_PGFLT)
		user_pgfault(tf);
	else
		user_fault(tf);
	if (current_task->killed)
		proc_exit(-1);
}

static const struct user_trap_ops ops = {
	.system_call = user_syscall, .trap = user_trap, .ret = user_return,
};

void usertrap_init(void)
{
	exception_register(T_PGFLT, kernel_pgfault);
	trap_set_user_ops(&ops);
}
