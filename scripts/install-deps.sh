#!/bin/sh
# Install everything fnguard's build, tests and demo need, from Debian's packages.
# Idempotent: packages already present are left alone, and apt is only asked
# when something is missing. Called by the Makefile when pkg-config cannot
# find a dependency, so `make check` and `make demo` work on a fresh machine.
set -eu

PKGS="gcc make pkg-config
libseccomp-dev libjson-c-dev libuv1-dev libelf-dev libunwind-dev
libcmocka-dev libcurl4-openssl-dev libpcre2-dev libhttp-parser-dev libc-ares-dev nettle-dev rsyslog
python3 nodejs iproute2 util-linux
dnsmasq-base curl golang-go musl-tools strace python3-jsonschema"
# `make fuzz` only (libFuzzer): `install-deps.sh fuzz`.
if [ "${1:-}" = fuzz ]; then
	PKGS="clang"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done" >&2
