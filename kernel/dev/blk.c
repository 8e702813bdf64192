/*
 * kernel/dev/blk.c: the block request layer: one entry point for all devices, and
 * the accounting that goes with each request. Requests are synchronous.
 */
#include "kernel/dev/blk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"

static struct blkdev *devs[NBLKDEV];

int blk_register(struct blkdev *d)
{
	for (int i = 0; i < NBLKDEV; i++)
		if (!devs[i]) {
			devs[i] = d;
			return 0;
		}
	return -ENOSPC;
}

void blk_unregister(struct blkdev *d)
{
	for (int i = 0; i < NBLKDEV; i++)
		if (devs[i] == d)
			devs[i] = NULL;
}

struct blkdev *blk_find(const char *name)
{
	for (int i = 0; i < NBLKDEV; i++)
		if (devs[i] && !strcmp(devs[i]->name, name))
			return devs[i];
	return NULL;
}

struct blkdev *blk_get(int i)
{
	return i >= 0 && i < NBLKDEV ? devs[i] : NULL;
}

static struct blk_trace_rec trace[BLK_TRACE];
static uint32_t trace_next, trace_len;

uint32_t blk_trace_take(struct blk_trace_rec *out, uint32_t max)
{
	int was = irq_save();
	uint32_t n = MIN(max, trace_len), first = (trace_next + BLK_TRACE - trace_len) % BLK_TRACE;

	for (uint32_t i = 0; i < n; i++)
		out[i] = trace[(first + i) % BLK_TRACE];
	trace_len = 0;
	irq_restore(was);
	return n;
}

static void account(struct blkdev *d, uint32_t lba, uint32_t count, bool write)
{
	struct blk_stats *s = &d->stats;
	int dev = 0;

	while (dev < NBLKDEV && devs[dev] != d)
		dev++;
	trace[trace_next] = (struct blk_trace_rec){ lba, (uint16_t)MIN(count, 0xffffu), dev, write };
	trace_next = (trace_next + 1) % BLK_TRACE;
	trace_len = MIN(trace_len + 1, (uint32_t)BLK_TRACE);

	if (write) {
		s->writes++;
		s->sectors_written += count;
	} else {
		s->reads++;
		s->sectors_read += count;
	}
	s->seek_distance += lba >= d->last_end ? lba - d->last_end : d->last_end - lba;
	s->backward_seeks += lba < d->last_end;
	s->jumps += lba != d->last_end;
	d->last_end = lba + count;
}

FAULT_POINT(disk);

static int request(struct blkdev *d, uint32_t lba, uint32_t count, void *buf, bool write)
{
	int r;

	if (count == 0 || lba >= d->nsectors || count > d->nsectors - lba)
		return -EINVAL;
	account(d, lba, count, write);
	if (fault_hit(&fault_disk))
		r = -EIO;			/* as a failing disk would */
	else
		r = d->rw(d, lba, count, buf, write);
	if (r < 0)
		d->stats.errors++;
	return r;
}

int blk_read(struct blkdev *d, uint32_t lba, uint32_t count, void *buf)
{
	return request(d, lba, count, buf, false);
}

int blk_write(struct blkdev *d, uint32_t lba, uint32_t count, const void *buf)
{
	return request(d, lba, count, (void *)buf, true);
}

void blk_print_stats(void)
{
	printk("dev   reads   sectors  writes   sectors   seek-dist  back errors\n");
	for (int i = 0; i < NBLKDEV; i++) {
		struct blk_stats *s = devs[i] ? &devs[i]->stats : NULL;
		if (s)
			printk("%-5s %6u %9llu %6u %9llu %11llu %5u %6u\n", devs[i]->name,
			       s->reads, s->sectors_read, s->writes, s->sectors_written,
			       s->seek_distance, s->backward_seeks, s->errors);
	}
}
