#!/bin/sh
# Install everything fnguard's build, tests and demo need, from Debian's packages.
# Idempotent: packages already present are left alone, and apt is only asked
# when something is missing. Called by the Makefile when pkg-config cannot
# find a dependency, so `make check` and `make demo` work on a fresh machine.
#   install-deps.sh                 the build, the tests, the demo
#   install-deps.sh fuzz            `make fuzz` (libFuzzer: clang)
#   install-deps.sh arm64           `make cross-arm64`: Debian's cross compiler
#                                   and the arm64 (multiarch) libraries
#   install-deps.sh aarch64-guest   `make check-aarch64`: the above, and qemu
#                                   and mmdebstrap to build and boot the guest
#   install-deps.sh bench           `make bench`: strace, and the CPython test
#                                   suite of /usr/bin/python3 (bench/cpython.py)
set -eu

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

PKGS="gcc make pkg-config
libseccomp-dev libjson-c-dev libuv1-dev libelf-dev libunwind-dev
libcmocka-dev libcurl4-openssl-dev libpcre2-dev libhttp-parser-dev libc-ares-dev nettle-dev rsyslog
python3 python3-lxml nodejs iproute2 util-linux
dnsmasq-base curl golang-go musl-tools strace python3-jsonschema
rbenv"

case "${1:-}" in
fuzz)
	PKGS="clang"
	;;
bench)
	# Debian ships the test modules apart: libpython3.X-testsuite, X of
	# the python3 the bench runs.
	pyver=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	PKGS="strace libpython$pyver-testsuite"
	;;
arm64 | aarch64-guest)
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
	fi
	# libhttp-parser-dev is not co-installable for two architectures (it
	# would replace the native one): its arm64 package is unpacked under
	# build-arm64/deb instead (unpack_http_parser).
	PKGS="crossbuild-essential-arm64 file libseccomp-dev:arm64 libjson-c-dev:arm64 libuv1-dev:arm64
libelf-dev:arm64 libunwind-dev:arm64 libc-ares-dev:arm64 nettle-dev:arm64 libcmocka-dev:arm64
libcurl4-openssl-dev:arm64 libpcre2-dev:arm64 libhttp-parser2.9:arm64
gcc-arm-linux-gnueabihf libc6-dev-armhf-cross"
	if [ "$1" = aarch64-guest ]; then
		PKGS="$PKGS qemu-system-arm qemu-user-static binfmt-support mmdebstrap arch-test e2fsprogs golang-go"
	fi
	;;
esac

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

# The arm64 libhttp-parser-dev, unpacked where the Makefile looks for it.
unpack_http_parser() {
	dest=build-arm64/deb
	[ -e "$dest/usr/lib/aarch64-linux-gnu/libhttp_parser.a" ] && return 0
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -qq libhttp-parser-dev:arm64 >/dev/null)
	mkdir -p "$dest"
	dpkg-deb -x "$tmp"/libhttp-parser-dev_*_arm64.deb "$dest"
	rm -rf "$tmp"
}

if [ -z "$missing" ]; then
	case "${1:-}" in arm64 | aarch64-guest) unpack_http_parser ;; esac
	exit 0
fi

echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
case "${1:-}" in arm64 | aarch64-guest) unpack_http_parser ;; esac
echo "install-deps: done" >&2
