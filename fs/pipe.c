/*
 * fs/pipe.c: pipes. A reader sleeps while the pipe is empty and a writer
 * remains; a writer sleeps while it is full and a reader remains. The
 * last writer's close gives readers end-of-file; writing with no reader
 * left is -EPIPE ("broken pipe"). Each side waits on its own queue, with
 * interrupts off around each check (kernel/sched/sched.h).
 */
#include "fs/pipe.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"
#include "kernel/sched/sched.h"
#include "mm/slab.h"

struct pipe {
	char data[PIPESIZE];
	uint32_t nread, nwrite;		/* bytes ever read and written */
	int readers, writers;		/* open ends */
	struct waitq readable;		/* readers waiting for data */
	struct waitq writable;		/* writers waiting for room */
};

struct pipe *pipe_create(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->readers = p->writers = 1;
	waitq_init(&p->readable);
	waitq_init(&p->writable);
	return p;
}

int pipe_read(struct pipe *p, void *buf, uint32_t n)
{
	uint32_t i;
	int was = irq_save();

	while (p->nread == p->nwrite && p->writers) {
		if (waitq_sleep(&p->readable) < 0) {
			irq_restore(was);
			return -EINTR;
		}
	}
	for (i = 0; i < n && p->nread != p->nwrite; i++)
		((char *)buf)[i] = p->data[p->nread++ % PIPESIZE];
	waitq_wake(&p->writable);
	irq_restore(was);
	return i;
}

int pipe_write(struct pipe *p, const void *buf, uint32_t n)
{
	uint32_t i = 0;
	int was = irq_save();

	while (i < n) {
		if (!p->readers || task_killed()) {
			irq_restore(was);
			return i ? (int)i : (!p->readers ? -EPIPE : -EINTR);
		}
		if (p->nwrite == p->nread + PIPESIZE) {	/* full */
			waitq_wake(&p->readable);
			waitq_sleep(&p->writable);	/* a kill shows at the top */
			continue;
		}
		p->data[p->nwrite++ % PIPESIZE] = ((const char *)buf)[i++];
	}
	waitq_wake(&p->readable);
	irq_restore(was);
	return i;
}

void pipe_close(struct pipe *p, bool writer)
{
	int was = irq_save();

	if (writer) {
		p->writers--;
		waitq_wake(&p->readable);
	} else {
		p->readers--;
		waitq_wake(&p->writable);
	}
	irq_restore(was);
	KASSERT(p->readers >= 0 && p->writers >= 0);
	if (!p->readers && !p->writers)
		kfree(p);
}
