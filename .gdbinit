# .gdbinit: attach gdb to `make qemu-gdb` (QEMU waits on port 1234).
# Run `make gdb`, or `gdb-multiarch -x .gdbinit` from the repository root.
# (gdb refuses to auto-load a .gdbinit outside its safe path; -x avoids that.)
set architecture i386
set disassembly-flavor att
file build/pagoda.elf
target remote localhost:1234
echo \nPagoda: connected. Try: break kmain / continue / bt / info registers\n
echo Page tables: monitor info mem, monitor info tlb (QEMU's view)\n\n
