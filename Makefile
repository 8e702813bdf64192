# Pagoda's one Makefile. `make help` lists the targets.
#
# The kernel is linked twice: build/pass1.elf with an empty symbol table,
# then build/pagoda.elf with the table made from pass1's `nm` output
# (tools/mkksyms.sh). The table lives after .text, so no function moves
# between the passes; the ksyms-check step proves it on every build.

CROSS	?= i686-linux-gnu-
CC	:= $(CROSS)gcc
NM	:= $(CROSS)nm
OBJDUMP	:= $(CROSS)objdump
QEMU	?= qemu-system-i386
BOCHS	?= bochs-bin
GDB	?= gdb-multiarch
PYTHON	?= python3

OPT	?= -O2
MEM	?= 128
CMDLINE	?=

B	:= build

# `make V=1` shows every command; the default prints one short line per step
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1)	$(2)"
endif

CFLAGS	:= -std=gnu11 $(OPT) -g -Wall -Wextra -Werror \
	   -ffreestanding -fno-pie -fno-stack-protector -fno-builtin \
	   -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	   -fno-optimize-sibling-calls \
	   -mno-sse -mno-mmx -mno-80387 -m32 -march=i686 -I.
ASFLAGS	:= -m32 -I. -Wa,--noexecstack
LDFLAGS	:= -nostdlib -no-pie -static -Wl,--build-id=none -Wl,-T,linker.ld

# One object list per layer, bottom first (docs/layout.md; make check-layers).
LIB_OBJS := string.o vsprintf.o printk.o panic.o ksyms.o cmdline.o faultinj.o rbtree.o
ARCH_OBJS := gdt.o trapentry.o trap.o pic.o swtch.o uaccess.o uaccess_copy.o
SCHED_OBJS := sched.o
DEV_OBJS := uart.o vga.o console.o kbd.o timer.o rtc.o blk.o ata.o ramdisk.o
MM_OBJS := directmap.o memmap.o page_alloc.o slab.o kmalloc.o pgtable.o rmap.o swap.o reclaim.o vmcheck.o \
	vm.o vma.o share.o fault.o mmap.o filemap.o uaccess.o
FS_OBJS := bcache.o inode.o dcache.o namei.o file.o names.o vfs.o pipe.o
EXT2_OBJS := super.o inode.o balloc.o dir.o namei.o
BOOT_OBJS := entry.o multiboot.o
PROC_OBJS := proc.o kthread.o usertrap.o syscall.o sysproc.o sysfile.o sysinfo.o exec.o elf.o wsb.o \
	vmview.o
TOP_OBJS := main.o
KTEST_OBJS := ktest.o harness.o kbench.o test_ktest.o test_printk.o test_cmdline.o \
	test_ksyms.o test_memmap.o test_page.o test_trap.o test_slab.o test_vm.o \
	test_cow.o test_spt.o test_swap.o test_blk.o test_fs.o test_vfs.o test_ext2_bad.o test_exec.o \
	test_faultinj.o test_ext2_crash.o test_rbtree.o test_vma.o test_slabmove.o \
	test_dcache_move.o test_wsb.o \
	bench_mm.o bench_fs.o

OBJS := $(addprefix $(B)/kernel/lib/,$(LIB_OBJS)) \
	$(addprefix $(B)/kernel/arch/,$(ARCH_OBJS)) \
	$(addprefix $(B)/kernel/sched/,$(SCHED_OBJS)) \
	$(addprefix $(B)/kernel/dev/,$(DEV_OBJS)) \
	$(addprefix $(B)/mm/,$(MM_OBJS)) \
	$(addprefix $(B)/fs/,$(FS_OBJS)) \
	$(addprefix $(B)/fs/ext2/,$(EXT2_OBJS)) \
	$(addprefix $(B)/boot/,$(BOOT_OBJS)) \
	$(addprefix $(B)/kernel/proc/,$(PROC_OBJS)) \
	$(addprefix $(B)/kernel/,$(TOP_OBJS)) \
	$(addprefix $(B)/tests/kernel/,$(KTEST_OBJS))

# User programs: each user/NAME.c is /bin/NAME; ALIASES are more names for one.
UPROGS	:= init sh echo cat ls mkdir rm ln mv wc grep kill sleep info ps forktree \
	   forkchain chainer usertests forkbench true cowstress sysfuzz faultsweep crashload \
	   regionbench poweroff bigmem reclaimbench crash dcachebench wsbig wsbench wsbtest manyproc schedtest \
	   vmview
ALIASES	:= free:info slabinfo:info vmstat:info blkstat:info dcstat:info sync:info sysctl:info pstree:ps \
	   execchain:forkchain halt:poweroff xinit:chainer wm:chainer terminal:chainer
ULIB	:= $(addprefix $(B)/user/,usys.o ulib.o printf.o umalloc.o figures.o memhog.o)
UCFLAGS	:= -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-pie \
	   -fno-stack-protector -fno-builtin -fno-asynchronous-unwind-tables \
	   -m32 -march=i686 -I.
UBINS	:= $(addprefix $(B)/user/_,$(UPROGS))
# Programs built the way xv6's Makefile builds its own (user/xv6/): xv6's
# compiler flags, its system-call entry points, ld -N -e main -Ttext 0. /xv6/NAME.
XV6PROGS := xv6tests
XV6CFLAGS := -fno-pic -static -fno-builtin -fno-strict-aliasing -O2 -Wall -Wextra -Werror \
	   -m32 -fno-omit-frame-pointer -fno-stack-protector -ffreestanding -I.
XV6BINS	:= $(addprefix $(B)/user/xv6/_,$(XV6PROGS))
# an RWX segment is the point of the layout: binutils 2.39 and later warn about it
XV6LDFLAGS := $(shell ld --help 2>/dev/null | grep -q no-warn-rwx-segments && \
		echo --no-warn-rwx-segments)

ISO	:= $(B)/pagoda.iso
# The images the build makes (*-pristine) are what make test and make bench
# boot, on copies; make qemu and make bochs run on working copies, where
# what you change in the shell stays until the pristine image is rebuilt.
ROOTPRISTINE	:= $(B)/root-pristine.img
SCRATCHPRISTINE	:= $(B)/scratch-pristine.img
ROOTIMG	:= $(B)/root.img
SCRATCH	:= $(B)/scratch.img
# Your own files for the root image: put them in local/rootfs/, or name a folder here.
ROOTFS_EXTRA ?= local/rootfs
KERNEL	:= $(B)/pagoda.elf
BOOTCFG	:= $(B)/bootcfg.img
DEPS_OK	:= $(B)/.deps-ok
# The swap disk (docs/reclaim.md): SWAP_MB MiB made by mkswap, on a third IDE
# channel (0x1e8, IRQ 5) as hde, so the other four places stay as they were.
SWAPIMG	:= $(B)/swap.img
SWAP_MB	?= 64
MKSWAP	:= $(firstword $(wildcard /sbin/mkswap /usr/sbin/mkswap) mkswap)
QEMU_SWAP := -device isa-ide,iobase=0x1e8,iobase2=0x3e6,irq=5,id=ide2 \
	-drive file=$(SWAPIMG),format=raw,if=none,id=swapdisk,cache=unsafe \
	-device ide-hd,drive=swapdisk,bus=ide2.0

QEMU_COMMON := -m $(MEM) -no-reboot -boot d -cdrom $(ISO) \
	-drive file=$(ROOTIMG),format=raw,if=ide,index=0 \
	-drive file=$(SCRATCH),format=raw,if=ide,index=1 \
	$(QEMU_SWAP) \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

.PHONY: all qemu qemu-nox qemu-gdb gdb bochs test bench fuzz xv6check clean help deps check-layers \
	robustness-figures labs lab-reset handouts plots docs vmview-figures

all: $(ISO) $(B)/pagoda.sym $(ROOTIMG) $(SCRATCH)

help:
	@echo "make            build the kernel ($(KERNEL)) and the ISO ($(ISO))"
	@echo "make qemu       build and boot in QEMU, serial console on this terminal"
	@echo "make qemu-nox   the same without a window"
	@echo "make qemu-gdb   boot in QEMU stopped for gdb; then \`make gdb' in another terminal"
	@echo "make gdb        gdb-multiarch attached to make qemu-gdb, kernel symbols loaded"
	@echo "make bochs      boot in Bochs with its debugger and the kernel's symbols"
	@echo "make test       build, boot headless, run every test, print the summary"
	@echo "make check-layers  refuse an #include that points up a layer (docs/layout.md)"
	@echo "make bench      run the benchmarks under QEMU -icount shift=0; CSV in $(B)/bench"
	@echo "make fuzz       a million random system calls (SEED=, CALLS=); no panic, no leak"
	@echo "make xv6check XV6=DIR  xv6's own programs, built from an xv6-public checkout, on Pagoda"
	@echo "make robustness-figures  docs/robustness.md's figures from the last test and fuzz"
	@echo "make labs       list the labs (labs/README.md)"
	@echo "make lab-NAME   take the tree to lab NAME's starting point; make lab-reset undoes it"
	@echo "make grade-NAME grade the tree as lab NAME: a score out of 100"
	@echo "make handouts   rewrite the handouts' generated tables from the graders"
	@echo "make plots      every benchmark's plots, SVG in docs/plots/, from make bench's CSVs"
	@echo "make vmview-figures  boot vmview -demo, draw its dumps into docs/vmview/ (Graphviz)"
	@echo "make docs       docs/ as an HTML book in $(B)/book/ (pandoc); fails on a broken link"
	@echo "make clean      remove $(B)/"
	@echo "variables: MEM=$(MEM) (MiB), SWAP_MB=$(SWAP_MB) (build/swap.img: rm it to remake), OPT=$(OPT), CMDLINE='selftest loglevel=8' ..., V=1"

deps: $(DEPS_OK)
$(DEPS_OK): tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh
	@touch $@

# Objects depend on the compiler flags: `make OPT=-Og` after a normal build rebuilds.
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CFLAGS) $(OBJS)' | cmp -s - $@ || echo '$(CFLAGS) $(OBJS)' > $@

.PHONY: FORCE
FORCE:

$(B)/%.o: %.c $(B)/.flags | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# keep self-tests in the order their file declares them
$(B)/tests/kernel/%.o: CFLAGS += -fno-toplevel-reorder

$(B)/%.o: %.S | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(B)/ksyms.o $(B)/ksyms0.o: $(B)/%.o: $(B)/%.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(B)/ksyms0.S: tools/mkksyms.sh | $(DEPS_OK)
	$(Q)sh tools/mkksyms.sh < /dev/null > $@

$(B)/pass1.elf: $(OBJS) $(B)/ksyms0.o linker.ld $(B)/.flags
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(OBJS) $(B)/ksyms0.o -lgcc

$(B)/ksyms.S: $(B)/pass1.elf tools/mkksyms.sh
	$(call say,KSYMS,$@)
	$(Q)$(NM) -n --defined-only $< | sh tools/mkksyms.sh > $@

$(KERNEL): $(OBJS) $(B)/ksyms.o linker.ld
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(OBJS) $(B)/ksyms.o -lgcc
	@$(NM) -n --defined-only $(B)/pass1.elf | grep -i ' [tw] ' > $(B)/text1.txt
	@$(NM) -n --defined-only $@ | grep -i ' [tw] ' > $(B)/text2.txt
	@cmp -s $(B)/text1.txt $(B)/text2.txt || \
		{ echo "ksyms-check: text symbols moved between link passes"; rm -f $@; exit 1; }
	@grub-file --is-x86-multiboot $@ || { echo "$@: no Multiboot header"; rm -f $@; exit 1; }

# address-name pairs for the Bochs debugger's ldsym
$(B)/pagoda.sym: $(KERNEL)
	$(Q)$(NM) -n --defined-only $< | awk '{ print $$1, $$3 }' > $@

$(ISO): $(KERNEL) boot/grub.cfg
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	$(call say,ISO,$@)
	$(Q)cp $(KERNEL) $(B)/iso/boot/pagoda.elf
	$(Q)cp boot/grub.cfg $(B)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(B)/iso 2> $(B)/grub-mkrescue.log || \
		{ cat $(B)/grub-mkrescue.log; exit 1; }

$(B)/user/%.o: user/%.c $(wildcard user/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,UCC,$<)
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/user/%.o: user/%.S user/syscall.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# keep the user objects: they are intermediate files to make, which would
# otherwise delete them after the summary line of make test
.SECONDARY: $(addprefix $(B)/user/,$(addsuffix .o,$(UPROGS))) $(ULIB)

$(B)/user/xv6/%.o: user/xv6/%.c user/xv6/xv6.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(call say,UCC,$<)
	$(Q)$(CC) $(XV6CFLAGS) -c $< -o $@

.SECONDARY: $(addprefix $(B)/user/xv6/,$(addsuffix .o,$(XV6PROGS) usys))

$(B)/user/xv6/_%: $(B)/user/xv6/%.o $(B)/user/xv6/usys.o $(filter-out %/usys.o %/figures.o,$(ULIB))
	$(call say,ULD,$@)
	$(Q)ld -m elf_i386 $(XV6LDFLAGS) -N -e main -Ttext 0 -o $@ $^

$(B)/user/_%: $(B)/user/%.o $(ULIB) user/user.ld
	$(call say,ULD,$@)
	$(Q)$(CC) -nostdlib -no-pie -static -Wl,--build-id=none -Wl,-T,user/user.ld \
		-o $@ $< $(ULIB) -lgcc

# The root file system: rootfs/, then $(ROOTFS_EXTRA) if it exists, then the
# storage fixtures. 1 KiB blocks. Image sizes are whole Bochs cylinders
# (16 heads x 63 sectors = 516096 bytes), so Bochs needs no geometry.
ROOTFS_FILES := $(shell find rootfs $(wildcard $(ROOTFS_EXTRA)) -type f 2>/dev/null)

$(ROOTIMG): $(ROOTPRISTINE)
	$(Q)cp $< $@

$(SCRATCH): $(SCRATCHPRISTINE)
	$(Q)cp $< $@

# whole Bochs cylinders (16 heads, 63 sectors), as for the other disks
$(SWAPIMG): | $(DEPS_OK)
	$(call say,MKSWAP,$@)
	$(Q)rm -f $@ && truncate -s $$(( $(SWAP_MB) * 1048576 / 516096 * 516096 )) $@
	$(Q)$(MKSWAP) -q $@

$(ROOTPRISTINE): $(ROOTFS_FILES) tools/mkfixtures.py tools/mkelfcorpus.py tools/wsbitmap \
		tools/mkwsbcorpus.py $(UBINS) $(XV6BINS) | $(DEPS_OK)
	$(call say,IMG,$@)
	$(Q)rm -rf $(B)/root && mkdir -p $(B)/root/bin
	$(Q)cp -r rootfs/. $(B)/root/
	$(Q)for p in $(UPROGS); do cp $(B)/user/_$$p $(B)/root/bin/$$p; done
	$(Q)for a in $(ALIASES); do cp $(B)/user/_$${a#*:} $(B)/root/bin/$${a%%:*}; done
	$(Q)cp $(B)/user/_wsbig $(B)/root/bin/wsbig-aging
	$(Q)for f in $(B)/root/bin/*; do case $$f in *-aging) o="--policy aging --history 4 --keep 2";; \
		*) o=;; esac; $(PYTHON) tools/wsbitmap add $$f $$o > /dev/null || exit 1; done
	$(Q)mkdir -p $(B)/root/xv6 && for p in $(XV6PROGS); do cp $(B)/user/xv6/_$$p $(B)/root/xv6/$$p; done
	$(Q)if [ -d "$(ROOTFS_EXTRA)" ]; then cp -r "$(ROOTFS_EXTRA)"/. $(B)/root/; fi
	$(Q)$(PYTHON) tools/mkfixtures.py $(B)/root 1024
	$(Q)$(PYTHON) tools/mkelfcorpus.py $(B)/user/_true $(B)/root/fixtures/elf
	$(Q)$(PYTHON) tools/mkwsbcorpus.py $(B)/user/_true $(B)/root/fixtures/wsb > /dev/null
	$(Q)rm -f $@ && truncate -s $$((48 * 516096)) $@
	$(Q)mke2fs -q -F -t ext2 -b 1024 -N 16384 -E root_owner=0:0 -d $(B)/root $@ 24192

# The scratch disk: 4 KiB blocks, fixtures, and 3 MiB past the end of the
# file system that block-layer tests may overwrite freely. fixtures/tiny.img
# is a 128 KiB ext2 image the tests damage in a RAM disk; tiny4k.img the
# same with 4 KiB blocks (the crash tests run on both).
$(SCRATCHPRISTINE): tools/mkfixtures.py | $(DEPS_OK)
	$(call say,IMG,$@)
	$(Q)rm -rf $(B)/scratch && mkdir -p $(B)/scratch
	$(Q)$(PYTHON) tools/mkfixtures.py $(B)/scratch 4096
	$(Q)rm -rf $(B)/tiny && mkdir -p $(B)/tiny/dir && echo tiny > $(B)/tiny/dir/file
	$(Q)truncate -s 128K $(B)/scratch/fixtures/tiny.img
	$(Q)mke2fs -q -F -t ext2 -b 1024 -N 32 -m 0 -O ^resize_inode -d $(B)/tiny \
		$(B)/scratch/fixtures/tiny.img
	$(Q)truncate -s 512K $(B)/scratch/fixtures/tiny4k.img
	$(Q)mke2fs -q -F -t ext2 -b 4096 -N 64 -m 0 -O ^resize_inode -d $(B)/tiny \
		$(B)/scratch/fixtures/tiny4k.img
	$(Q)rm -f $@ && truncate -s $$((64 * 516096)) $@
	$(Q)mke2fs -q -F -t ext2 -b 4096 -E root_owner=0:0 -d $(B)/scratch $@ 7296

# A small ext2 disk holding /pagoda-boot.cfg, which GRUB sources (boot/grub.cfg):
# how `make qemu CMDLINE=...` passes options through the unchanged ISO.
# 2 x 16 x 63 sectors is a geometry Bochs detects by itself.
$(BOOTCFG): $(DEPS_OK)
	@rm -rf $(B)/bootcfg && mkdir -p $(B)/bootcfg
	$(Q)echo 'set pagoda_cmdline="$(CMDLINE)"' > $(B)/bootcfg/pagoda-boot.cfg
	$(Q)rm -f $@ && truncate -s 1032192 $@
	$(Q)mke2fs -q -t ext2 -b 1024 -d $(B)/bootcfg $@

.PHONY: $(BOOTCFG)

comma := ,
QEMU_CFGDISK = $(if $(CMDLINE),-drive file=$(BOOTCFG)$(comma)format=raw$(comma)if=ide$(comma)index=3)

# a window when there is a display to put it on; the serial console either way
qemu: $(ISO) $(ROOTIMG) $(SCRATCH) $(SWAPIMG) $(if $(CMDLINE),$(BOOTCFG))
	$(QEMU) $(QEMU_COMMON) $(QEMU_CFGDISK) $(if $(DISPLAY),,-display none) -serial mon:stdio

qemu-nox: $(ISO) $(ROOTIMG) $(SCRATCH) $(SWAPIMG) $(if $(CMDLINE),$(BOOTCFG))
	$(QEMU) $(QEMU_COMMON) $(QEMU_CFGDISK) -display none -serial mon:stdio

qemu-gdb: $(ISO) $(ROOTIMG) $(SCRATCH) $(SWAPIMG) $(B)/pagoda.sym $(if $(CMDLINE),$(BOOTCFG))
	@echo "QEMU waits for gdb on :1234. In another terminal here: make gdb"
	$(QEMU) $(QEMU_COMMON) $(QEMU_CFGDISK) -display none -serial mon:stdio -s -S

gdb: $(KERNEL) | $(DEPS_OK)
	$(GDB) -q -nx -x .gdbinit

bochs: $(ISO) $(ROOTIMG) $(SCRATCH) $(SWAPIMG) $(B)/pagoda.sym $(if $(CMDLINE),$(BOOTCFG))
	@$(PYTHON) tools/bochs.py --iso $(ISO) --sym $(B)/pagoda.sym --mem $(MEM) \
		--root $(ROOTIMG) --scratch $(SCRATCH) --swap $(SWAPIMG) $(if $(CMDLINE),--disk $(BOOTCFG))

check-layers: | $(DEPS_OK)
	@$(PYTHON) tools/check_layers.py

# The kernel and ISO built with -Og, in a build folder of their own: the
# docs' gdb sessions that say OPT=-Og run against them (docs/testing.md).
OGKERNEL := $(B)/og/pagoda.elf

$(B)/og/pagoda.iso: FORCE | $(DEPS_OK)
	$(Q)$(MAKE) --no-print-directory B=$(B)/og OPT=-Og $@

test: check-layers $(ISO) $(KERNEL) $(B)/pagoda.sym $(ROOTPRISTINE) $(SCRATCHPRISTINE) \
		$(B)/og/pagoda.iso | $(DEPS_OK)
	@$(PYTHON) tests/run.py --iso $(ISO) --kernel $(KERNEL) --sym $(B)/pagoda.sym \
		--root $(ROOTPRISTINE) --scratch $(SCRATCHPRISTINE) --og-kernel $(OGKERNEL) \
		--build $(B)

bench: $(KERNEL) $(ROOTPRISTINE) $(SCRATCHPRISTINE) | $(DEPS_OK)
	@$(PYTHON) tools/bench.py --kernel $(KERNEL) --root $(ROOTPRISTINE) --scratch $(SCRATCHPRISTINE) \
		--out $(B)/bench

fuzz: $(KERNEL) $(ROOTPRISTINE) $(SCRATCHPRISTINE) | $(DEPS_OK)
	@$(PYTHON) tools/fuzz.py --kernel $(KERNEL) --root $(ROOTPRISTINE) --scratch $(SCRATCHPRISTINE) \
		--build $(B) $(if $(SEED),--seed $(SEED)) $(if $(CALLS),--calls $(CALLS))

# xv6's own programs, built by xv6's own Makefile from a checkout of
# mit-pdos/xv6-public, run on Pagoda (docs/syscalls.md).
xv6check: $(KERNEL) $(ROOTPRISTINE) $(SCRATCHPRISTINE) | $(DEPS_OK)
	@test -n "$(XV6)" || { echo "make xv6check XV6=/path/to/xv6-public"; \
		echo "  (git clone https://github.com/mit-pdos/xv6-public)"; exit 2; }
	@$(PYTHON) tools/xv6check.py --xv6 $(XV6) --kernel $(KERNEL) --root $(B)/root \
		--scratch $(SCRATCHPRISTINE)

# docs/ as a book of HTML pages in build/book/ (tools/mkbook.py, docs/book.txt);
# fails on a broken link. pandoc comes with the docs' own dependency step.
DOCS_DEPS_OK := $(B)/.deps-docs-ok
$(DOCS_DEPS_OK): tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh docs
	@touch $@

docs: $(DOCS_DEPS_OK)
	@$(PYTHON) tools/mkbook.py docs/book.txt $(B)/book

# vmview's figures in docs/vmview/ (docs/shared-page-tables.md): the demo's
# dumps, booted once, drawn by tools/vmview.py with Graphviz.
vmview-figures: $(KERNEL) $(ROOTPRISTINE) $(SCRATCHPRISTINE) $(DOCS_DEPS_OK)
	@mkdir -p $(B)/vmview
	@$(PYTHON) tools/vmview.py --kernel $(KERNEL) --root $(ROOTPRISTINE) \
		--scratch $(SCRATCHPRISTINE) --save $(B)/vmview/console.txt --out docs/vmview --svg

# Every benchmark's figures drawn as SVG into docs/plots/, from the CSVs of the
# last make bench (tools/plots.py, drawn by tools/svgplot.py).
plots:
	@$(PYTHON) tools/plots.py $(B)/bench docs/plots

# The figures block of docs/robustness.md, from the last make test (and make fuzz).
robustness-figures:
	@$(PYTHON) tools/robustness_figures.py $(B)/figures docs/robustness.md

# The labs (labs/README.md): a starting point is a patch; a grader boots
# the kernel built from the tree as it is.
labs:
	@$(PYTHON) tools/labgrade.py list

lab-reset:
	@$(PYTHON) tools/labgrade.py reset

lab-%:
	@$(PYTHON) tools/labgrade.py start $*

grade-%: $(KERNEL) $(ROOTPRISTINE) $(SCRATCHPRISTINE) | $(DEPS_OK)
	@$(PYTHON) tools/labgrade.py grade $* --kernel $(KERNEL) --root $(ROOTPRISTINE) \
		--scratch $(SCRATCHPRISTINE)

handouts:
	@$(PYTHON) tools/labgrade.py handouts

clean:
	rm -rf $(B)

-include $(OBJS:.o=.d)
