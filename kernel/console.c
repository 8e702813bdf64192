/*
 * kernel/console.c: one console over two devices.
 *
 * Output: console_write sends every byte to the serial port and to the VGA
 * screen (in the given colour). Input: interrupt handlers (kernel/kbd.c,
 * kernel/uart.c) call console_input; console_getc takes bytes out.
 * The input queue is a ring of NCONSINPUT bytes; when it is full new input
 * is dropped. Interrupts are off while either side touches it.
 */
#include "kernel/console.h"
#include "kernel/param.h"
#include "kernel/uart.h"
#include "kernel/vga.h"
#include "kernel/x86.h"

static struct {
	char buf[NCONSINPUT];
	unsigned r, w;		/* read and write counts; w - r bytes queued */
} input;

void console_init(void)
{
	uart_init();
	vga_init();
}

void console_write(const char *s, int n, uint8_t vga_attr)
{
	int was = irq_save();

	for (int i = 0; i < n; i++) {
		uart_putc(s[i]);
		vga_putc(s[i], vga_attr);
	}
	irq_restore(was);
}

/* Queue one input byte; called from interrupt handlers. */
void console_input(int c)
{
	if (c == '\r')
		c = '\n';
	if (input.w - input.r < NCONSINPUT)
		input.buf[input.w++ % NCONSINPUT] = (char)c;
}

/* Return the next input byte, or -1 if none is queued. */
int console_getc(void)
{
	int was = irq_save(), c = -1;

	if (input.r != input.w)
		c = (unsigned char)input.buf[input.r++ % NCONSINPUT];
	irq_restore(was);
	return c;
}
