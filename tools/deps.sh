#!/bin/sh
# tools/deps.sh: make sure every host tool Pagoda's build and tests use is
# installed, installing the missing ones from Debian's packages.
# Quiet and quick when nothing is missing. Run by the Makefile before any
# build; safe to run by hand. Needs root (or sudo) only to install.
#
#   sh tools/deps.sh        what make, make test and make bench need
#   sh tools/deps.sh docs   what make docs and make vmview-figures need
#                           besides: pandoc for the HTML, weasyprint for the
#                           PDF, Graphviz for vmview's drawings (make test
#                           checks the docs' links and vmview's DOT without)
set -e

missing=""
need() {	# need COMMAND|/PATH|pkg:PACKAGE PACKAGE
	case "$1" in
	/*) [ -e "$1" ] && return 0 ;;
	pkg:*) dpkg-query -W -f='${Status}' "${1#pkg:}" 2>/dev/null |
		grep -q "ok installed" && return 0 ;;
	*) command -v "$1" >/dev/null 2>&1 && return 0 ;;
	esac
	case " $missing " in *" $2 "*) ;; *) missing="$missing $2" ;; esac
}

need i686-linux-gnu-gcc gcc-i686-linux-gnu
need i686-linux-gnu-ld binutils-i686-linux-gnu
need i686-linux-gnu-nm binutils-i686-linux-gnu
need make make
need grub-mkrescue grub-common
need grub-file grub-common
need /usr/lib/grub/i386-pc/multiboot.mod grub-pc-bin
need xorriso xorriso
need mformat mtools
need qemu-system-i386 qemu-system-x86
need bochs-bin bochs
need /usr/share/bochs/BIOS-bochs-latest bochsbios
need /usr/share/vgabios/vgabios.bin vgabios
need pkg:bochs-term bochs-term
need gdb-multiarch gdb-multiarch
need mke2fs e2fsprogs
need e2fsck e2fsprogs
need python3 python3
if [ "$1" = docs ]; then
	need pandoc pandoc
	need weasyprint weasyprint
	need dot graphviz
fi

[ -z "$missing" ] && exit 0

echo "deps: installing missing Debian packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: no apt-get here; install these packages by hand:$missing" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: not root and no sudo; install as root:$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
