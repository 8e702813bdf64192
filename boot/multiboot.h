/*
 * boot/multiboot.h: what the boot loader tells the kernel (Multiboot 0.6.96,
 * section 3.3). Only the fields Pagoda reads are named.
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

#define MBI_MEM		(1 << 0)	/* mem_lower, mem_upper valid */
#define MBI_CMDLINE	(1 << 2)
#define MBI_MODS	(1 << 3)
#define MBI_MMAP	(1 << 6)
#define MBI_LOADER_NAME	(1 << 9)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;	/* KiB below 1 MiB */
	uint32_t mem_upper;	/* KiB above 1 MiB, up to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;	/* physical address of a C string */
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_mmap_entry {
	uint32_t size;		/* of the rest of this entry, excluding size */
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));

struct memmap;

/*
 * Read the boot information at physical mbi: copy the command line into
 * cmdline (size bytes), build *m from the memory map, and reserve the
 * kernel image and every Multiboot structure and module in it.
 */
void multiboot_read(uint32_t magic, uint32_t mbi, char *cmdline, int size,
		    struct memmap *m);
#endif
