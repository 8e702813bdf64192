/* kernel/dev/vga.h: the 80x25 VGA text screen. */
#ifndef KERNEL_DEV_VGA_H
#define KERNEL_DEV_VGA_H

#include <stdint.h>

#define VGA_GREY	0x07
#define VGA_YELLOW	0x0e
#define VGA_RED		0x0c

/* Clear the screen and home the cursor. */
void vga_init(void);
/* Put c at the cursor in colour attr ('\n', '\b', '\t' move it), scrolling at the bottom. */
void vga_putc(char c, uint8_t attr);
#endif
