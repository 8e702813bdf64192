/*
 * user/wsbig.c: a program with a big executable and a scattered working
 * set, for the working-set bitmaps (docs/working-set.md).
 *
 *   wsbig [a|b]
 *
 * Its read-only data is a 4 MiB table of 0x5a bytes (1,024 pages of the
 * file). It reads a byte from each of 340 pages of it drawn at random (about
 * 300 distinct pages, anywhere in the table), from a seed that depends on
 * the mode: a and b touch two different working sets, as a program with
 * two modes (busybox's many commands, say) does. Exits 0 if every byte read
 * was right, 1 if not.
 */
#include "user/user.h"

#define TABLE_PAGES	1024
#define DRAWS		340

__asm__(".section .rodata\n"
	".balign 4096\n"
	".globl table\n"
	"table:\n"
	".fill 4194304, 1, 0x5a\n"	/* not zeros: a zero block could become a hole */
	".previous\n");
extern const unsigned char table[];

int main(int argc, char *argv[])
{
	unsigned seed = argc > 1 && argv[1][0] == 'b' ? 0xb0b0b0b : 0xa0a0a0a, bad = 0;

	for (int i = 0; i < DRAWS; i++) {
		unsigned page = xorshift32(&seed) % TABLE_PAGES;
		bad += table[page * 4096 + (i * 37) % 4096] != 0x5a;
	}
	exit2(bad != 0);
	return 0;
}
