/*
 * kernel/console.h: the console, which is the VGA screen and COM1 together.
 * Output goes to both; input comes from the keyboard and the serial line
 * into one queue.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdint.h>

void console_init(void);
void console_write(const char *s, int n, uint8_t vga_attr);
void console_input(int c);
int console_getc(void);
#endif
