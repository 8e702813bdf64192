/*
 * boot/multiboot.c: read the Multiboot information GRUB (or QEMU -kernel)
 * leaves us, before anything could overwrite it.
 *
 * Each structure is reached through the direct map, which is grown first
 * to cover it (it may lie above the 16 MiB entry.S mapped). Whatever of it
 * lies in RAM is put on the reserved list, so the page allocator never
 * hands it out even though Pagoda copies what it needs.
 */
#include "boot/multiboot.h"
#include "kernel/arch/memlayout.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "mm/directmap.h"
#include "mm/memmap.h"


/* Map [pa, pa+len) and return its virtual address; panics if unmappable. */
static void *reach(uint64_t pa, uint64_t len, const char *what)
{
	if (directmap_ensure(pa + len) < 0)
		panic("multiboot: %s at %llx lies beyond the direct map", what, pa);
	return P2V((uint32_t)pa);
}

static int read_mmap(const struct multiboot_info *mi, struct memrange *raw)
{
	uint32_t off = 0;
	int n = 0;
	uint8_t *buf = reach(mi->mmap_addr, mi->mmap_length, "memory map");

	while (off + sizeof(struct multiboot_mmap_entry) <= mi->mmap_length) {
		struct multiboot_mmap_entry *e = (void *)(buf + off);
		if (n < NMEMRANGE)
			raw[n] = (struct memrange){ e->addr, e->addr + e->len,
						    e->type, NULL };
		n++;
		off += e->size + sizeof(e->size);
	}
	return n;
}

static int fallback_map(const struct multiboot_info *mi, struct memrange *raw)
{
	printk(KERN_WARNING "multiboot: no memory map; using mem_lower/mem_upper\n");
	raw[0] = (struct memrange){ 0, (uint64_t)mi->mem_lower << 10, MEM_AVAILABLE, NULL };
	raw[1] = (struct memrange){ 0x100000, 0x100000 + ((uint64_t)mi->mem_upper << 10),
				    MEM_AVAILABLE, NULL };
	return 2;
}

static void reserve_modules(const struct multiboot_info *mi, struct memmap *m)
{
	uint32_t size = mi->mods_count * sizeof(struct multiboot_module);
	struct multiboot_module *mod = reach(mi->mods_addr, size, "module list");

	memmap_reserve(m, mi->mods_addr, mi->mods_addr + size, "multiboot modules list");
	for (uint32_t i = 0; i < mi->mods_count; i++)
		if (memmap_reserve(m, mod[i].mod_start, mod[i].mod_end, "multiboot module") < 0)
			panic("multiboot: too many modules to reserve");
}

void multiboot_read(uint32_t magic, uint32_t mbi, char *cmdline, int size,
		    struct memmap *m)
{
	static struct memrange raw[NMEMRANGE];
	const struct multiboot_info *mi;
	int n;

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("multiboot: bad magic %x: not loaded by a Multiboot loader", magic);
	mi = reach(mbi, sizeof(*mi), "information");
	cmdline[0] = '\0';
	if (mi->flags & MBI_CMDLINE)
		strlcpy(cmdline, reach(mi->cmdline, size, "command line"), size);
	if (mi->flags & MBI_MMAP)
		n = read_mmap(mi, raw);
	else if (mi->flags & MBI_MEM)
		n = fallback_map(mi, raw);
	else
		panic("multiboot: the boot loader gave no memory information");
	memmap_sanitize(raw, n, m, false);

	memmap_reserve(m, 0, V2P(__kernel_end), "kernel image and low memory");
	memmap_reserve(m, mbi, mbi + sizeof(*mi), "multiboot info");
	if (mi->flags & MBI_CMDLINE)
		memmap_reserve(m, mi->cmdline, mi->cmdline + strlen(P2V(mi->cmdline)) + 1,
			       "multiboot command line");
	if (mi->flags & MBI_MMAP)
		memmap_reserve(m, mi->mmap_addr, mi->mmap_addr + mi->mmap_length,
			       "multiboot memory map");
	if (mi->flags & MBI_MODS)
		reserve_modules(mi, m);
}
