/*
 * kernel/dev/ramdisk.c: a block device over memory (see kernel/dev/ramdisk.h).
 */
#include "kernel/dev/ramdisk.h"
#include "kernel/lib/lib.h"

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

int ramdisk_init(struct ramdisk *rd, const char *name, void *mem, uint32_t nsectors)
{
	memset(rd, 0, sizeof(*rd));
	strlcpy(rd->dev.name, name, sizeof(rd->dev.name));
	rd->dev.nsectors = nsectors;
	rd->dev.rw = ram_rw;
	rd->dev.priv = rd;
	rd->data = mem;
	return blk_register(&rd->dev);
}

void ramdisk_remove(struct ramdisk *rd)
{
	blk_unregister(&rd->dev);
}
