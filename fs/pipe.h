/* fs/pipe.h: pipes, a bounded byte queue between two open files. */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#define PIPESIZE	512

struct pipe;

/* A new, empty pipe with one reader and one writer; NULL if out of memory. */
struct pipe *pipe_create(void);
/* Up to n bytes, waiting while the pipe is empty and has a writer;
   0 at end of file, -EINTR if killed. */
int pipe_read(struct pipe *p, void *buf, uint32_t n);
/* Bytes written, or -EPIPE if no reader is left (-EINTR if killed). */
int pipe_write(struct pipe *p, const void *buf, uint32_t n);
/* Close one end (writer says which); the pipe goes with its last end. */
void pipe_close(struct pipe *p, bool writer);
#endif
