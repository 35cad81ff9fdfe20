#!/bin/sh
# Build the arm64 Debian guest `make check-aarch64` boots under
# qemu-system-aarch64: a root file system made by mmdebstrap from Debian's
# arm64 packages (run through qemu-user), Debian's arm64 kernel and the
# initramfs it makes. Nothing is downloaded from anywhere but Debian's
# archive; nothing prebuilt is checked in. Idempotent: an existing guest
# whose package list is unchanged is kept.
#   build-guest.sh DIR     -> DIR/vmlinuz DIR/initrd.img DIR/rootfs/ (a directory)
set -eu

DIR=${1:?usage: build-guest.sh DIR}
SUITE=bookworm
MIRROR=${FNG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the tests run, as on x86_64 (scripts/install-deps.sh), and the kernel.
PKGS="linux-image-arm64,initramfs-tools,kmod,udev,procps,iproute2,util-linux,bash,python3,python3-jsonschema,\
nodejs,curl,dnsmasq-base,strace,rsyslog,file,ca-certificates,openssl,tmux,ruby,e2fsprogs"
# Added since guests were first built: in a new guest's --include, but not
# in the stamp, so an existing guest is kept (check.sh installs them in it).
# mount is not in --variant=apt: without it guest-init mounted nothing (the
# initramfs had moved /proc, /sys, /dev and /run; /tmp was the ext4 root's,
# no securityfs, no cgroup2, no /dev/shm).
LATER="binutils,mount"
STAMP="$DIR/.packages"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$SUITE $PKGS" ] && [ -d "$DIR/rootfs/usr" ]; then
	echo "build-guest: $DIR is up to date" >&2
	exit 0
fi
sh "$(dirname "$0")/../install-deps.sh" aarch64-guest
# mmdebstrap runs the arm64 maintainer scripts through binfmt_misc + qemu-user.
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	update-binfmts --enable qemu-aarch64
fi
rm -rf "$DIR/rootfs"
mkdir -p "$DIR"
mmdebstrap --arch=arm64 --variant=apt --include="$PKGS,$LATER" "$SUITE" "$DIR/rootfs" "$MIRROR"
cp "$(ls "$DIR"/rootfs/boot/vmlinuz-* | tail -1)" "$DIR/vmlinuz"
cp "$(ls "$DIR"/rootfs/boot/initrd.img-* | tail -1)" "$DIR/initrd.img"
echo "$SUITE $PKGS" >"$STAMP"
echo "build-guest: $DIR ready" >&2
