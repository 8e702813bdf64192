/*
 * kernel/proc/elf.h: the parts of the ELF32 format (System V gABI) exec
 * reads, and the checks that decide whether a file is an executable
 * Pagoda will run (kernel/proc/elf.c).
 */
#ifndef KERNEL_PROC_ELF_H
#define KERNEL_PROC_ELF_H

#include <stdbool.h>
#include <stdint.h>

#define ELF_MAGIC	0x464c457fu	/* "\x7fELF" little-endian */
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define EV_CURRENT	1
#define PT_NULL		0
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf_hdr {
	uint32_t magic;
	uint8_t class, data, version, osabi, pad[8];
	uint16_t type, machine;
	uint32_t version2, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((packed));

#define MAXPH		16	/* program headers an executable may have */

/* Is e the header of an i386 executable whose program headers lie inside
   a file of size bytes? 0, or -ENOEXEC. */
int elf_check_header(const struct elf_hdr *e, uint32_t size);
/*
 * Are e's program headers ph (e->phnum of them) loadable segments of a
 * file of size bytes: inside the file and user space, no two in the same
 * bytes, with the entry point in an executable one, leaving room for the
 * stack? 0 with *top the end of the highest segment, or -ENOEXEC.
 */
int elf_check_segments(const struct elf_hdr *e, const struct elf_phdr *ph, uint32_t size,
		       uint32_t *top);
/*
 * Must the (checked) segments be read in rather than mapped over the page
 * cache? Yes if one is not page-congruent (file offset and address differ
 * modulo the page size, or p_align is below it, as xv6's ld -N makes) or
 * two share a page.
 */
bool elf_needs_copy(const struct elf_hdr *e, const struct elf_phdr *ph);
#endif
