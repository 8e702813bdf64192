/*
 * kernel/dev/vga.c: text output on the VGA screen at physical 0xb8000, with
 * scrolling and the hardware cursor. The buffer is reached through the
 * direct map, which entry.S sets up before any C code runs.
 */
#include "kernel/dev/vga.h"
#include "kernel/arch/memlayout.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/x86.h"

#define COLS	80
#define ROWS	25
#define CRTC	0x3d4

static uint16_t *screen;
static int pos;		/* cursor: row * COLS + column */

static void set_cursor(void)
{
	outb(CRTC, 14);
	outb(CRTC + 1, pos >> 8);
	outb(CRTC, 15);
	outb(CRTC + 1, pos & 0xff);
}

void vga_init(void)
{
	screen = P2V(0xb8000);
	for (int i = 0; i < COLS * ROWS; i++)
		screen[i] = (VGA_GREY << 8) | ' ';
	pos = 0;
	set_cursor();
}

void vga_putc(char c, uint8_t attr)
{
	if (!screen)
		return;
	if (c == '\n')
		pos += COLS - pos % COLS;
	else if (c == '\b') {
		if (pos % COLS)
			screen[--pos] = (attr << 8) | ' ';
	} else if (c == '\t')
		pos = (pos + 8) & ~7;
	else if (c != '\r')
		screen[pos++] = (attr << 8) | (uint8_t)c;
	if (pos >= COLS * ROWS) {
		memmove(screen, screen + COLS, (ROWS - 1) * COLS * 2);
		for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
			screen[i] = (VGA_GREY << 8) | ' ';
		pos -= COLS;
	}
	set_cursor();
}
