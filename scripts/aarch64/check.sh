#!/bin/sh
# `make check-aarch64`: the unit, integration and adversarial tests on a real
# aarch64 kernel (`make bench-aarch64`: make bench there). Builds (or reuses)
# the arm64 Debian guest (build-guest.sh), cross-builds fnguard and every
# test program for arm64, copies them into the guest's root file system,
# boots it under qemu-system-aarch64 (TCG: slow, hours for the whole suite)
# and prints the suite's output; exit 0 when it reports no failure.
#   check.sh [--bench] [TEST-REGEX]
# Environment: FNG_AARCH64_DIR where the guest lives (default
# /var/tmp/fnguard-aarch64); FNG_AARCH64_TIMEOUT (s); FNG_AARCH64_SMP, the
# guest's CPUs (default 2; 1 leaves a host core free for a long run);
# FNG_AARCH64_RUN, this run's name (default: the process id): its disk image
# is DIR/disk-RUN.img (removed after) and its console DIR/console-RUN.log,
# so runs can overlap; FNG_BENCH_RUNS, the bench's RUNS (default 5);
# FNG_BENCH_SCALE, its SCALE (iteration counts; default 1);
# FNG_BENCH_EXTRA=1 adds bench/run.sh's extra scripts (off: hours more).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${FNG_AARCH64_DIR:-/var/tmp/fnguard-aarch64}
TIMEOUT=${FNG_AARCH64_TIMEOUT:-21600}
SMP=${FNG_AARCH64_SMP:-2}
RUN=${FNG_AARCH64_RUN:-$$}
MODE="test"
if [ "${1:-}" = --bench ]; then
	MODE=bench
	shift
fi
TESTS=${1:-}
DISK="$DIR/disk-$RUN.img"
CONSOLE="$DIR/console-$RUN.log"

sh "$ROOT/scripts/aarch64/build-guest.sh" "$DIR"
# The libraries the cross-built programs link (Debian's arm64 packages, the
# versions the cross build used) and the tools the tests run that were added
# after a guest may have been built (build-guest.sh installs them in a new
# one): installed in the guest's root through qemu-user, quickly, and only
# when one is missing.
ADD="libjson-c5 libcmocka0 libseccomp2 libuv1 libc-ares2 libunwind8 libelf1 libnettle8 libpcre2-8-0
libhttp-parser2.9 libcurl4 binutils mount"
# dpkg-query -W prints a known but absent package with an empty version.
# shellcheck disable=SC2086,SC2016
if ! chroot "$DIR/rootfs" dpkg-query -W -f '${Version}\n' $ADD 2>/dev/null | grep -cv '^$' | grep -qx "$(echo $ADD | wc -w)"; then
	cp /etc/resolv.conf "$DIR/rootfs/etc/resolv.conf"
	chroot "$DIR/rootfs" apt-get update -qq
	# shellcheck disable=SC2086
	chroot "$DIR/rootfs" apt-get install -y -qq --no-install-recommends $ADD >/dev/null
fi
make -C "$ROOT" cross-arm64-tests
[ "$MODE" = test ] || make -C "$ROOT" cross-arm64-bench
# The payload in the shared root file system and the disk image made from
# it: one run at a time (the image, once made, is this run's own).
exec 9>"$DIR/.payload.lock"
flock 9
PAYLOAD="$DIR/rootfs/opt/fnguard"
rm -rf "$PAYLOAD"
mkdir -p "$PAYLOAD"
(cd "$ROOT" && tar cf - test scripts examples docs bench README.md) | tar xf - -C "$PAYLOAD"
cp -a "$ROOT/build-arm64" "$PAYLOAD/build"
ln -sf build/fnguard "$PAYLOAD/fnguard"
install -m 0755 "$ROOT/scripts/aarch64/guest-init" "$PAYLOAD/guest-init"
rm -f "$DISK"
mke2fs -q -t ext4 -d "$DIR/rootfs" "$DISK" 8G
flock -u 9
# -nic none: the tests need no network card (loopback and namespaces of
# their own), and the default virtio one wants qemu's boot ROM (ipxe-qemu,
# only recommended): without it qemu stopped at once.
echo "check-aarch64: booting the guest ($MODE, -smp $SMP; log: $CONSOLE)" >&2
timeout "$TIMEOUT" qemu-system-aarch64 -M virt -cpu max -smp "$SMP" -m 4096 -nographic -no-reboot -nic none \
	-kernel "$DIR/vmlinuz" -initrd "$DIR/initrd.img" \
	-append "console=ttyAMA0 root=/dev/vda rw quiet init=/opt/fnguard/guest-init fng_mode=$MODE fng_runs=${FNG_BENCH_RUNS:-5} fng_extra=${FNG_BENCH_EXTRA:-0} fng_scale=${FNG_BENCH_SCALE:-1} fng_tests=$TESTS" \
	-drive "file=$DISK,if=virtio,format=raw,cache=unsafe" </dev/null >"$CONSOLE" 2>&1 || true
rm -f "$DISK"
sed -n '/^=== fnguard-aarch64/p; /^=== begin/,/^=== end/p' "$CONSOLE" | tr -d '\r'
grep -q '^=== end status 0' "$CONSOLE"
