#!/bin/sh
# `make check-aarch64`: the unit, integration and adversarial tests on a real
# aarch64 kernel. Builds (or reuses) the arm64 Debian guest
# (build-guest.sh), cross-builds fnguard and every test program for arm64,
# copies them into the guest's root file system, boots it under
# qemu-system-aarch64 (TCG: slow, hours for the whole suite) and prints the
# suite's output; exit 0 when it reports no failure.
#   check.sh [TEST-REGEX]    FNG_AARCH64_DIR: where the guest lives (default
#                            /var/tmp/fnguard-aarch64), FNG_AARCH64_TIMEOUT (s)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${FNG_AARCH64_DIR:-/var/tmp/fnguard-aarch64}
TIMEOUT=${FNG_AARCH64_TIMEOUT:-21600}
TESTS=${1:-}

sh "$ROOT/scripts/aarch64/build-guest.sh" "$DIR"
# The libraries the cross-built programs link (Debian's arm64 packages, the
# versions the cross build used): installed in the guest's root through
# qemu-user, quickly, and only when one is missing.
LIBS="libjson-c5 libcmocka0 libseccomp2 libuv1 libc-ares2 libunwind8 libelf1 libnettle8 libpcre2-8-0
libhttp-parser2.9 libcurl4"
# shellcheck disable=SC2086
if ! chroot "$DIR/rootfs" dpkg-query -W $LIBS >/dev/null 2>&1; then
	cp /etc/resolv.conf "$DIR/rootfs/etc/resolv.conf"
	chroot "$DIR/rootfs" apt-get update -qq
	# shellcheck disable=SC2086
	chroot "$DIR/rootfs" apt-get install -y -qq --no-install-recommends $LIBS >/dev/null
fi
make -C "$ROOT" cross-arm64-tests
PAYLOAD="$DIR/rootfs/opt/fnguard"
rm -rf "$PAYLOAD"
mkdir -p "$PAYLOAD"
(cd "$ROOT" && tar cf - test scripts examples docs README.md) | tar xf - -C "$PAYLOAD"
cp -a "$ROOT/build-arm64" "$PAYLOAD/build"
ln -sf build/fnguard "$PAYLOAD/fnguard"
install -m 0755 "$ROOT/scripts/aarch64/guest-init" "$PAYLOAD/guest-init"
rm -f "$DIR/disk.img"
mke2fs -q -t ext4 -d "$DIR/rootfs" "$DIR/disk.img" 8G
echo "check-aarch64: booting the guest (log: $DIR/console.log)" >&2
timeout "$TIMEOUT" qemu-system-aarch64 -M virt -cpu max -smp 2 -m 4096 -nographic -no-reboot \
	-kernel "$DIR/vmlinuz" -initrd "$DIR/initrd.img" \
	-append "console=ttyAMA0 root=/dev/vda rw quiet init=/opt/fnguard/guest-init fng_tests=$TESTS" \
	-drive "file=$DIR/disk.img,if=virtio,format=raw,cache=unsafe" </dev/null >"$DIR/console.log" 2>&1 || true
sed -n '/^=== fnguard-aarch64/p; /^=== begin/,/^=== end/p' "$DIR/console.log" | tr -d '\r'
grep -q '^=== end status 0' "$DIR/console.log"
