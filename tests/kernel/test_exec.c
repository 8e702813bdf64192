/*
 * tests/kernel/test_exec.c: the ELF checks of kernel/proc/elf.c, one at
 * a time. A good two-segment image passes; each variant changes one field
 * of it so that exactly one check refuses it, so deleting any single
 * check makes its test fail (the note in docs/robustness.md says how that
 * was tried). And which images are read in rather than mapped.
 */
#include "kernel/arch/mmu.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/exec.h"
#include "tests/kernel/ktest.h"

#define FILE_SIZE	0x3000u

struct image {
	struct elf_hdr eh;
	struct elf_phdr ph[MAXPH + 1];
};

/*
 * Text at 0x1000 (file 0x1000, one page, r-x, the entry), data at 0x3000
 * (file 0x2000, 2 KiB of file in 8 KiB of memory, rw-), in a 12 KiB file.
 */
static void good(struct image *im)
{
	memset(im, 0, sizeof(*im));
	im->eh = (struct elf_hdr){
		.magic = ELF_MAGIC, .class = ELFCLASS32, .data = ELFDATA2LSB, .version = 1,
		.type = ET_EXEC, .machine = EM_386, .version2 = EV_CURRENT, .entry = 0x1000,
		.phoff = sizeof(struct elf_hdr), .ehsize = sizeof(struct elf_hdr),
		.phentsize = sizeof(struct elf_phdr), .phnum = 2,
	};
	im->ph[0] = (struct elf_phdr){ .type = PT_LOAD, .offset = 0x1000, .vaddr = 0x1000,
				       .filesz = 0x1000, .memsz = 0x1000, .flags = PF_R | PF_X,
				       .align = 0x1000 };
	im->ph[1] = (struct elf_phdr){ .type = PT_LOAD, .offset = 0x2000, .vaddr = 0x3000,
				       .filesz = 0x800, .memsz = 0x2000, .flags = PF_R | PF_W,
				       .align = 0x1000 };
}

/* What elf.c says of im: the header check, then the segments'. */
static int check(const struct image *im, uint32_t *top)
{
	int r = elf_check_header(&im->eh, FILE_SIZE);

	return r < 0 ? r : elf_check_segments(&im->eh, im->ph, FILE_SIZE, top);
}

KTEST(exec, good_image_passes)
{
	struct image im;
	uint32_t top;

	good(&im);
	KT_EXPECT_EQ(check(&im, &top), 0);
	KT_EXPECT_EQ(top, 0x5000);
	KT_EXPECT(!elf_needs_copy(&im.eh, im.ph));	/* mapped over the page cache */
	im.ph[2] = (struct elf_phdr){ .type = 0x6474e551 };	/* GNU_STACK: ignored */
	im.eh.phnum = 3;
	KT_EXPECT_EQ(check(&im, &top), 0);
}

/* What xv6's ld -N -Ttext 0 makes: one RWX segment at 0, file offset 0x80. */
KTEST(exec, xv6_layout_passes_and_is_copied)
{
	struct image im;
	uint32_t top;

	good(&im);
	im.eh.phnum = 1;
	im.eh.entry = 0x10;
	im.ph[0] = (struct elf_phdr){ .type = PT_LOAD, .offset = 0x80, .vaddr = 0,
				      .filesz = 0x1800, .memsz = 0x2400,
				      .flags = PF_R | PF_W | PF_X, .align = 0x20 };
	KT_EXPECT_EQ(check(&im, &top), 0);
	KT_EXPECT_EQ(top, 0x3000);
	KT_EXPECT(elf_needs_copy(&im.eh, im.ph));
	im.ph[0].offset = 0x1000;		/* congruent now, but p_align still says no */
	KT_EXPECT(elf_needs_copy(&im.eh, im.ph));
	im.ph[0].align = 0x1000;
	KT_EXPECT(!elf_needs_copy(&im.eh, im.ph));
}

/* Text and data in one page, not in the same bytes: loaded by copying. */
KTEST(exec, segments_sharing_a_page_are_copied)
{
	struct image im;
	uint32_t top;

	good(&im);
	im.ph[0].filesz = im.ph[0].memsz = 0x800;	/* text ends at 0x1800 */
	im.ph[1].vaddr = 0x1800;			/* data starts there */
	im.ph[1].offset = 0x1800;
	KT_EXPECT_EQ(check(&im, &top), 0);
	KT_EXPECT(elf_needs_copy(&im.eh, im.ph));
	im.ph[1].vaddr = 0x2000;			/* the next page: mapped again */
	im.ph[1].offset = 0x2000;
	KT_EXPECT_EQ(check(&im, &top), 0);
	KT_EXPECT(!elf_needs_copy(&im.eh, im.ph));
}

/* Each variant: what it changes, and the one check that must refuse it. */
#define VARIANT(name, change)						\
	KTEST(exec, name)						\
	{								\
		struct image im;					\
		uint32_t top;						\
									\
		good(&im);						\
		change;							\
		KT_EXPECT_EQ(check(&im, &top), -ENOEXEC);		\
	}

VARIANT(refuses_bad_magic, im.eh.magic ^= 1)
VARIANT(refuses_64_bit, im.eh.class = 2)
VARIANT(refuses_big_endian, im.eh.data = 2)
VARIANT(refuses_shared_object, im.eh.type = 3)
VARIANT(refuses_other_machine, im.eh.machine = 40)
VARIANT(refuses_unknown_version, im.eh.version2 = 0)
VARIANT(refuses_other_header_size, im.eh.ehsize = 64)
VARIANT(refuses_other_phdr_size, im.eh.phentsize = 56)
/* no segments: nothing has the entry point */
VARIANT(refuses_no_phdrs, im.eh.phnum = 0)
VARIANT(refuses_too_many_phdrs, im.eh.phnum = MAXPH + 1)
VARIANT(refuses_phdrs_past_the_end, im.eh.phoff = FILE_SIZE + 1)
VARIANT(refuses_phdrs_running_past_the_end, im.eh.phoff = FILE_SIZE - sizeof(struct elf_phdr))
VARIANT(refuses_more_file_than_memory, im.ph[0].filesz = 0x1001)
VARIANT(refuses_data_past_the_end,
	(im.ph[1].offset = FILE_SIZE + 0x1000, im.ph[1].vaddr = 0x5000, im.ph[1].memsz = 0x800))
VARIANT(refuses_data_running_past_the_end, im.ph[1].filesz = FILE_SIZE - 0x2000 + 1)
VARIANT(refuses_empty_segment, (im.ph[1].filesz = 0, im.ph[1].memsz = 0))
/* at the top of the address space: only "in the kernel" may say no (the end wraps to 0x1000) */
VARIANT(refuses_segment_in_the_kernel, im.ph[1].vaddr = 0xfffff000)
/* 1 GiB from just below the kernel: wraps past 4 GiB to 0x1000 */
VARIANT(refuses_segment_wrapping, (im.ph[1].vaddr = 0xbffff000, im.ph[1].memsz = 0x40002000))
/* data moved into text's last bytes: the same bytes twice */
VARIANT(refuses_overlapping_segments, im.ph[1].vaddr = 0x1ff0)
VARIANT(refuses_entry_outside, im.eh.entry = 0x2100)
VARIANT(refuses_entry_in_data, im.eh.entry = 0x3000)
VARIANT(refuses_no_room_for_the_stack, im.ph[1].vaddr = USER_TOP - USTACK_SIZE)
