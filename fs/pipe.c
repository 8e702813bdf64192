/*
 * fs/pipe.c: pipes. A reader sleeps while the pipe is empty and a writer
 * remains; a writer sleeps while it is full and a reader remains. The
 * last writer's close gives readers end-of-file; writing with no reader
 * left is -EPIPE ("broken pipe"). Sleep and wakeup use the pipe's
 * counters as channels, with interrupts off around each check.
 */
#include "fs/file.h"
#include "fs/pipe.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/x86.h"
#include "mm/slab.h"

struct pipe {
	char data[PIPESIZE];
	uint32_t nread, nwrite;		/* bytes ever read and written */
	int readers, writers;		/* open ends */
};

int pipe_open(struct file **rf, struct file **wf)
{
	struct pipe *p = kzalloc(sizeof(*p));

	*rf = p ? file_alloc_pipe(p, O_RDONLY) : NULL;
	*wf = p && *rf ? file_alloc_pipe(p, O_WRONLY) : NULL;
	if (!*wf) {
		if (*rf)
			kmem_free_file(*rf);
		kfree(p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	return 0;
}

int pipe_read(struct pipe *p, void *buf, uint32_t n)
{
	uint32_t i;
	int was = irq_save();

	while (p->nread == p->nwrite && p->writers) {
		if (current->killed) {
			irq_restore(was);
			return -EINTR;
		}
		sleep_on(&p->nread);
	}
	for (i = 0; i < n && p->nread != p->nwrite; i++)
		((char *)buf)[i] = p->data[p->nread++ % PIPESIZE];
	wakeup(&p->nwrite);
	irq_restore(was);
	return i;
}

int pipe_write(struct pipe *p, const void *buf, uint32_t n)
{
	uint32_t i = 0;
	int was = irq_save();

	while (i < n) {
		if (!p->readers || current->killed) {
			irq_restore(was);
			return i ? (int)i : (!p->readers ? -EPIPE : -EINTR);
		}
		if (p->nwrite == p->nread + PIPESIZE) {	/* full */
			wakeup(&p->nread);
			sleep_on(&p->nwrite);
			continue;
		}
		p->data[p->nwrite++ % PIPESIZE] = ((const char *)buf)[i++];
	}
	wakeup(&p->nread);
	irq_restore(was);
	return i;
}

void pipe_close(struct pipe *p, bool writer)
{
	int was = irq_save();

	if (writer) {
		p->writers--;
		wakeup(&p->nread);
	} else {
		p->readers--;
		wakeup(&p->nwrite);
	}
	irq_restore(was);
	if (!p->readers && !p->writers)
		kfree(p);
}
