/*
 * kernel/dev/ata.c: PIO ATA disks, LBA28, on the PC's two IDE channels and a
 * third one (0x1e8, IRQ 5; Bochs routes PCI interrupts to IRQ 11, where its
 * ata2 would go), which holds the swap disk.
 *
 * Each transfer is READ SECTORS (0x20) or WRITE SECTORS (0x30) moving
 * 512-byte sectors through the data port. The drive raises the channel's
 * IRQ (14, 15 or 5) whenever a sector is ready or a command is done; we wait
 * for that interrupt with hlt, and if it does not come within IRQ_WAIT we
 * fall back to polling the status register (counted in ata_counters).
 * Nothing here can hang or panic: a missing drive, an error bit or a
 * timeout is -EIO for the caller.
 *
 * Register layout (ATA-6 section 7): base+0 data, +1 error, +2 sector
 * count, +3..+5 LBA bits 0..23, +6 drive select and LBA bits 24..27,
 * +7 status (read) / command (write); ctl+0 device control / alt status.
 */
#include "kernel/dev/ata.h"
#include "kernel/arch/trap.h"
#include "kernel/dev/blk.h"
#include "kernel/dev/timer.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"

#define ST_ERR		0x01
#define ST_DRQ		0x08
#define ST_DF		0x20
#define ST_BSY		0x80
#define CMD_READ	0x20
#define CMD_WRITE	0x30
#define CMD_FLUSH	0xe7
#define CMD_IDENTIFY	0xec
#define IRQ_WAIT	(HZ / 10)	/* then poll */
#define POLL_WAIT	(2 * HZ)	/* then give up */
#define MAX_CHUNK	255		/* sectors per command */

struct ata_chan {
	uint16_t base, ctl;
	int irq;
	volatile int irq_seen;		/* set by the interrupt handler */
};

struct ata_disk {
	struct blkdev dev;
	struct ata_chan *chan;
	int slave;
	char model[41];
};

#define NCHAN	3
static struct ata_chan chans[NCHAN] = {
	{ 0x1f0, 0x3f6, 14, 0 },
	{ 0x170, 0x376, 15, 0 },
	{ 0x1e8, 0x3e6, 5, 0 },
};
static struct ata_disk disks[2 * NCHAN];
struct ata_counters ata_counters;

static void delay400(struct ata_chan *c)
{
	for (int i = 0; i < 4; i++)
		(void)inb(c->ctl);
}

static void chan_intr(struct trapframe *tf)
{
	for (int i = 0; i < NCHAN; i++) {
		struct ata_chan *c = &chans[i];
		if (c->irq != (int)tf->trapno - T_IRQ0)
			continue;
		(void)inb(c->base + 7);		/* reading status acknowledges */
		c->irq_seen = 1;
	}
}

/* Wait for the drive's interrupt (if interrupts are on), briefly. */
static void wait_irq(struct ata_chan *c)
{
	uint32_t deadline = timer_ticks() + IRQ_WAIT;

	if (!(read_eflags() & FL_IF))
		return;
	while (timer_ticks() < deadline) {
		cli();
		if (c->irq_seen)
			break;
		cpu_idle();		/* sti; hlt: no wakeup lost between the two */
	}
	sti();
	if (c->irq_seen)
		ata_counters.irqs++;
	else
		ata_counters.polled++;
	c->irq_seen = 0;
}

/* Poll until not busy; then 0 if no error (and DRQ if drq), else -EIO. */
static int wait_status(struct ata_chan *c, bool drq)
{
	uint32_t deadline = timer_ticks() + POLL_WAIT;
	uint32_t spins = 0;

	for (;;) {
		uint8_t st = inb(c->base + 7);
		if (st == 0xff)
			return -EIO;		/* floating bus: no drive */
		if (!(st & ST_BSY)) {
			if (st & (ST_ERR | ST_DF))
				return -EIO;
			if (drq && !(st & ST_DRQ))
				return -EIO;
			return 0;
		}
		if ((read_eflags() & FL_IF) ? timer_ticks() > deadline : ++spins > 50000000) {
			ata_counters.timeouts++;
			return -EIO;
		}
		pause();
	}
}

static void issue(struct ata_disk *d, uint32_t lba, uint32_t count, uint8_t cmd)
{
	struct ata_chan *c = d->chan;

	outb(c->base + 6, 0xe0 | (d->slave << 4) | ((lba >> 24) & 0x0f));
	delay400(c);
	c->irq_seen = 0;
	outb(c->base + 2, count);
	outb(c->base + 3, lba);
	outb(c->base + 4, lba >> 8);
	outb(c->base + 5, lba >> 16);
	outb(c->base + 7, cmd);
}

static void insw_sector(uint16_t port, void *buf)
{
	uint32_t n = SECTOR_SIZE / 2;

	__asm__ volatile("rep insw" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static void outsw_sector(uint16_t port, const void *buf)
{
	uint32_t n = SECTOR_SIZE / 2;

	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

static int read_chunk(struct ata_disk *d, uint32_t lba, uint32_t n, uint8_t *buf)
{
	struct ata_chan *c = d->chan;

	issue(d, lba, n, CMD_READ);
	for (uint32_t i = 0; i < n; i++) {
		wait_irq(c);		/* one interrupt per sector ready */
		if (wait_status(c, true) < 0)
			return -EIO;
		insw_sector(c->base, buf + i * SECTOR_SIZE);
	}
	return 0;
}

static int write_chunk(struct ata_disk *d, uint32_t lba, uint32_t n, const uint8_t *buf)
{
	struct ata_chan *c = d->chan;

	issue(d, lba, n, CMD_WRITE);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0)
			wait_irq(c);	/* the drive took the previous sector */
		if (wait_status(c, true) < 0)
			return -EIO;
		outsw_sector(c->base, buf + i * SECTOR_SIZE);
	}
	wait_irq(c);			/* the command is done */
	if (wait_status(c, false) < 0)
		return -EIO;
	if (d->dev.no_flush)
		return 0;
	issue(d, 0, 0, CMD_FLUSH);	/* and on the platter */
	wait_irq(c);
	return wait_status(c, false);
}

static int ata_rw(struct blkdev *dev, uint32_t lba, uint32_t count, void *buf, bool write)
{
	struct ata_disk *d = dev->priv;
	uint8_t *p = buf;

	while (count) {
		uint32_t n = MIN(count, (uint32_t)MAX_CHUNK);
		int r = write ? write_chunk(d, lba, n, p) : read_chunk(d, lba, n, p);
		if (r < 0)
			return r;
		lba += n;
		count -= n;
		p += n * SECTOR_SIZE;
	}
	return 0;
}

/* IDENTIFY DEVICE; fills id[256] and returns 0 if an ATA disk answers. */
static int identify(struct ata_chan *c, int slave, uint16_t *id)
{
	outb(c->base + 6, 0xa0 | (slave << 4));
	delay400(c);
	for (int r = 2; r <= 5; r++)
		outb(c->base + r, 0);
	outb(c->base + 7, CMD_IDENTIFY);
	uint8_t st = inb(c->base + 7);
	if (st == 0 || st == 0xff)
		return -1;			/* nothing there */
	for (int i = 0; i < 1000000 && (inb(c->base + 7) & ST_BSY); i++)
		pause();
	if (inb(c->base + 4) || inb(c->base + 5))
		return -1;			/* ATAPI (a CD) or SATA: not ours */
	if (wait_status(c, true) < 0)
		return -1;
	insw_sector(c->base, id);
	return 0;
}

static void model_string(const uint16_t *id, char *out)
{
	for (int i = 0; i < 20; i++) {
		out[2 * i] = id[27 + i] >> 8;
		out[2 * i + 1] = id[27 + i] & 0xff;
	}
	out[40] = '\0';
	for (int i = 39; i >= 0 && out[i] == ' '; i--)
		out[i] = '\0';
}

static void probe(int ch, int slave)
{
	struct ata_chan *c = &chans[ch];
	struct ata_disk *d = &disks[ch * 2 + slave];
	uint16_t id[256];

	if (identify(c, slave, id) < 0)
		return;
	d->chan = c;
	d->slave = slave;
	model_string(id, d->model);
	snprintf(d->dev.name, sizeof(d->dev.name), "hd%c", 'a' + ch * 2 + slave);
	d->dev.nsectors = id[60] | (uint32_t)id[61] << 16;
	d->dev.rw = ata_rw;
	d->dev.priv = d;
	if (blk_register(&d->dev) == 0)
		printk("ata: %s: %u sectors (%u MiB), \"%s\"\n", d->dev.name,
		       d->dev.nsectors, d->dev.nsectors >> 11, d->model);
}

void ata_init(void)
{
	for (int ch = 0; ch < NCHAN; ch++) {
		if (inb(chans[ch].base + 7) == 0xff)
			continue;		/* no controller */
		outb(chans[ch].ctl, 0);		/* interrupts on (nIEN = 0) */
		probe(ch, 0);
		probe(ch, 1);
		irq_register(chans[ch].irq, chan_intr);
	}
}
