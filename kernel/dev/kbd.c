/*
 * kernel/dev/kbd.c: the PS/2 keyboard on IRQ 1. Scancodes (set 1, the PC
 * default) become ASCII with Shift, Ctrl and Caps Lock, and go to the
 * console's input queue. Keys with no ASCII meaning are ignored.
 */
#include "kernel/dev/kbd.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/x86.h"

#define KBD_STATUS	0x64
#define KBD_DATA	0x60
#define KBS_DIB		0x01	/* data in buffer */

#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1d
#define SC_CAPS		0x3a
#define SC_RELEASE	0x80

static const char normal[0x3a] =
	"\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shifted[0x3a] =
	"\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static int shift, ctrl, caps;
static void (*key_sink)(int c);	/* where typed characters go */

int kbd_translate(unsigned char sc)
{
	int up = sc & SC_RELEASE;
	unsigned char key = sc & ~SC_RELEASE;
	char c;

	if (key == SC_LSHIFT || key == SC_RSHIFT) {
		shift = !up;
		return -1;
	}
	if (key == SC_CTRL) {
		ctrl = !up;
		return -1;
	}
	if (key == SC_CAPS && !up) {
		caps = !caps;
		return -1;
	}
	if (up || key >= sizeof(normal))
		return -1;
	c = shift ? shifted[key] : normal[key];
	if (caps && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	else if (caps && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (ctrl && (c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		c = (c | 0x20) - 'a' + 1;
	return c ? c : -1;
}

static void kbd_intr(struct trapframe *tf)
{
	(void)tf;
	while (inb(KBD_STATUS) & KBS_DIB) {
		int c = kbd_translate(inb(KBD_DATA));
		if (c >= 0)
			key_sink(c);
	}
}

void kbd_init(void (*sink)(int c))
{
	key_sink = sink;
	while (inb(KBD_STATUS) & KBS_DIB)	/* drop what the BIOS left */
		(void)inb(KBD_DATA);
	irq_register(IRQ_KBD, kbd_intr);
}
