/*
 * kernel/dev/console.c: one console over two devices.
 *
 * Output: console_write sends every byte to the serial port and to the VGA
 * screen (in the given colour). Input: interrupt handlers (kernel/dev/kbd.c,
 * kernel/dev/uart.c) call console_input, which edits a line in place (echo,
 * backspace, Ctrl-U to erase the line, Ctrl-D for end of file) and hands
 * whole lines to readers: console_read (the console device, major 1)
 * sleeps on the input wait queue until a line is there. The ring holds
 * NCONSINPUT bytes:
 *   buf[r..w) is committed (whole lines), buf[w..e) is the line being edited.
 */
#include "kernel/dev/console.h"
#include "kernel/dev/uart.h"
#include "kernel/dev/vga.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"
#include "kernel/lib/x86.h"
#include "kernel/sched/sched.h"

#define CTRL(c)		((c) - '@')

static struct {
	char buf[NCONSINPUT];
	unsigned r, w, e;
	struct waitq readers;		/* waiting for a whole line */
} input = { .readers = WAITQ_INIT(input.readers) };

static void echo(char c)
{
	if (c == '\b') {
		console_write("\b \b", 3, VGA_GREY);
		return;
	}
	console_write(&c, 1, VGA_GREY);
}

/* Edit the current line with one input byte; called from interrupt handlers. */
void console_input(int c)
{
	if (c == '\r')
		c = '\n';
	switch (c) {
	case CTRL('U'):
		while (input.e != input.w && input.buf[(input.e - 1) % NCONSINPUT] != '\n') {
			input.e--;
			echo('\b');
		}
		return;
	case '\b':
	case 0x7f:
		if (input.e != input.w) {
			input.e--;
			echo('\b');
		}
		return;
	}
	if (input.e - input.r >= NCONSINPUT)
		return;				/* full: drop it */
	if (c != CTRL('D'))
		echo(c);
	input.buf[input.e++ % NCONSINPUT] = c;
	if (c == '\n' || c == CTRL('D') || input.e - input.r == NCONSINPUT) {
		input.w = input.e;
		waitq_wake(&input.readers);
	}
}

/* The console device's read: up to n bytes of the next line (0 at Ctrl-D). */
static int console_read(void *buf, uint32_t n)
{
	char *dst = buf;
	uint32_t got = 0;
	int was = irq_save();

	while (input.r == input.w) {
		if (waitq_sleep(&input.readers) < 0) {
			irq_restore(was);
			return -EINTR;
		}
	}
	while (got < n && input.r != input.w) {
		char c = input.buf[input.r++ % NCONSINPUT];
		if (c == CTRL('D')) {
			if (got > 0)
				input.r--;	/* end of file next time */
			break;
		}
		dst[got++] = c;
		if (c == '\n')
			break;
	}
	irq_restore(was);
	return got;
}

static int console_dev_write(const void *buf, uint32_t n)
{
	console_write(buf, n, VGA_GREY);
	return n;
}

const struct chardev console_dev = { console_read, console_dev_write };

/* printk's sink: errors in red on the screen, warnings in yellow. */
static void console_sink(const char *s, size_t n, int level)
{
	console_write(s, n, level <= 3 ? VGA_RED : level == 4 ? VGA_YELLOW : VGA_GREY);
}

void console_init(void)
{
	uart_init();
	vga_init();
	printk_add_sink(console_sink);
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

int console_getc(void)
{
	int was = irq_save(), c = -1;

	if (input.r != input.w)
		c = (unsigned char)input.buf[input.r++ % NCONSINPUT];
	irq_restore(was);
	return c;
}
