/* kernel/dev/kbd.h: the PS/2 keyboard. */
#ifndef KERNEL_DEV_KBD_H
#define KERNEL_DEV_KBD_H

/* Drop what the BIOS left in the buffer and take IRQ 1: each typed character goes to sink. */
void kbd_init(void (*sink)(int c));
/* Translate one set-1 scancode to a character, tracking modifier state; -1 if none. */
int kbd_translate(unsigned char sc);
#endif
