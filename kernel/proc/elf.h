/* kernel/proc/elf.h: the parts of the ELF32 format (System V gABI) exec reads. */
#ifndef KERNEL_PROC_ELF_H
#define KERNEL_PROC_ELF_H

#include <stdint.h>

#define ELF_MAGIC	0x464c457fu	/* "\x7fELF" little-endian */
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define EV_CURRENT	1
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
#endif
