/*
 * kernel/arch/pic.c: the two 8259A interrupt controllers of the PC.
 *
 * The BIOS leaves IRQ 0-7 on vectors 8-15, on top of CPU exceptions, so
 * pic_init moves IRQ 0-15 to vectors T_IRQ0..T_IRQ0+15 and masks every
 * line but the cascade (IRQ 2); irq_register unmasks lines one by one.
 */
#include "kernel/arch/trap.h"
#include "kernel/lib/x86.h"

#define PIC1		0x20
#define PIC2		0xa0
#define PIC_EOI		0x20
#define PIC_READ_ISR	0x0b
#define IRQ_CASCADE	2

static uint16_t mask = 0xffff & ~(1 << IRQ_CASCADE);

static void write_mask(void)
{
	outb(PIC1 + 1, mask & 0xff);
	outb(PIC2 + 1, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1 + 1, 0xff);
	outb(PIC2 + 1, 0xff);
	/* ICW1: edge triggered, cascade, ICW4 follows */
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	/* ICW2: vector offsets */
	outb(PIC1 + 1, T_IRQ0);
	outb(PIC2 + 1, T_IRQ0 + 8);
	/* ICW3: slave on IRQ 2 */
	outb(PIC1 + 1, 1 << IRQ_CASCADE);
	outb(PIC2 + 1, IRQ_CASCADE);
	/* ICW4: 8086 mode, normal EOI */
	outb(PIC1 + 1, 0x01);
	outb(PIC2 + 1, 0x01);
	write_mask();
}

void pic_unmask(int irq)
{
	mask &= ~(1 << irq);
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, PIC_EOI);
	outb(PIC1, PIC_EOI);
}

/*
 * IRQ 7 and 15 also arrive when a request vanished before the CPU took it.
 * Returns 1 for such a spurious interrupt (after any EOI it needs).
 */
int pic_spurious(int irq)
{
	if (irq == 7) {
		outb(PIC1, PIC_READ_ISR);
		return !(inb(PIC1) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2, PIC_READ_ISR);
		if (!(inb(PIC2) & 0x80)) {
			outb(PIC1, PIC_EOI);	/* the master saw IRQ 2 */
			return 1;
		}
	}
	return 0;
}
