/*
 * kernel/dev/console.h: the console, which is the VGA screen and COM1
 * together. Output goes to both (and printk's messages come here through
 * the sink console_init registers); input comes from the keyboard and the
 * serial line into one line-edited queue, which the console device
 * (console_dev, major 1) reads.
 */
#ifndef KERNEL_DEV_CONSOLE_H
#define KERNEL_DEV_CONSOLE_H

#include <stdint.h>
#include "kernel/dev/chardev.h"

/* Start the UART and the screen, and take printk's output. */
void console_init(void);
/* Write n bytes to both screens; vga_attr colours them on the VGA one. */
void console_write(const char *s, int n, uint8_t vga_attr);
/* One byte of input, from an interrupt handler: edited into the current line. */
void console_input(int c);
/* The next byte of a finished line, or -1 if there is none (no waiting). */
int console_getc(void);

/* The console as a character device: line-at-a-time reads that wait for input. */
extern const struct chardev console_dev;
#endif
