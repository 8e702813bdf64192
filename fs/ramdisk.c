/*
 * fs/ramdisk.c: a block device over kernel memory. The self-tests copy a
 * small file system into one, damage it on purpose, and mount the result.
 */
#include "fs/ramdisk.h"
#include "kernel/errno.h"
#include "mm/slab.h"

struct ramdisk {
	struct blkdev dev;
	uint8_t *data;
};

static int ram_rw(struct blkdev *d, uint32_t lba, uint32_t count, void *buf, bool write)
{
	struct ramdisk *r = d->priv;
	uint8_t *at = r->data + (size_t)lba * SECTOR_SIZE;

	if (write)
		memcpy(at, buf, count * SECTOR_SIZE);
	else
		memcpy(buf, at, count * SECTOR_SIZE);
	return 0;
}

struct blkdev *ramdisk_create(const char *name, uint32_t nsectors)
{
	struct ramdisk *r = kzalloc(sizeof(*r));

	if (!r)
		return NULL;
	if (!(r->data = kzalloc(nsectors * SECTOR_SIZE))) {
		kfree(r);
		return NULL;
	}
	strlcpy(r->dev.name, name, sizeof(r->dev.name));
	r->dev.nsectors = nsectors;
	r->dev.rw = ram_rw;
	r->dev.priv = r;
	if (blk_register(&r->dev) < 0) {
		kfree(r->data);
		kfree(r);
		return NULL;
	}
	return &r->dev;
}

void ramdisk_destroy(struct blkdev *d)
{
	struct ramdisk *r = d->priv;

	blk_unregister(d);
	kfree(r->data);
	kfree(r);
}

uint8_t *ramdisk_data(struct blkdev *d)
{
	return ((struct ramdisk *)d->priv)->data;
}
