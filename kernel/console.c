/*
 * kernel/console.c: one console over two devices.
 *
 * Output: console_write sends every byte to the serial port and to the VGA
 * screen (in the given colour). Input: interrupt handlers (kernel/kbd.c,
 * kernel/uart.c) call console_input, which edits a line in place (echo,
 * backspace, Ctrl-U to erase the line, Ctrl-D for end of file) and hands
 * whole lines to readers: console_read (the console device, major 1)
 * sleeps until a line is there. The ring holds NCONSINPUT bytes:
 *   buf[r..w) is committed (whole lines), buf[w..e) is the line being edited.
 */
#include "kernel/console.h"
#include "fs/file.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "kernel/proc.h"
#include "kernel/uart.h"
#include "kernel/vga.h"
#include "kernel/x86.h"

#define CTRL(c)		((c) - '@')

static struct {
	char buf[NCONSINPUT];
	unsigned r, w, e;
} input;

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
		wakeup(&input.r);
	}
}

/* The console device's read: up to n bytes of the next line (0 at Ctrl-D). */
static int console_read(void *buf, uint32_t n)
{
	char *dst = buf;
	uint32_t got = 0;
	int was = irq_save();

	while (input.r == input.w) {
		if (current && current->killed) {
			irq_restore(was);
			return -EINTR;
		}
		sleep_on(&input.r);
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

void console_init(void)
{
	uart_init();
	vga_init();
	devsw[CONSOLE_MAJOR].read = console_read;
	devsw[CONSOLE_MAJOR].write = console_dev_write;
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
