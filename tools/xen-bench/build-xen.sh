#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build Xen 4.17's hypervisor (not the tools) from Debian bookworm's source
# package `xen` with 32-bit PV guests enabled (CONFIG_PV32=y), a release
# (non-debug) build otherwise: Debian's own xen-kconfig plus that one line.
# Cached: the source and the build live in $KMV_XEN_CACHE
# (/var/cache/kmapvisor-xen) and are reused while the result exists.
#   tools/xen-bench/build-xen.sh [--force]
# Prints the path of the built, uncompressed multiboot image (xen/xen).
set -eu
CACHE=${KMV_XEN_CACHE:-/var/cache/kmapvisor-xen}
# bookworm's source version (main; bookworm-security's newer binaries have no
# fetchable source on the mirror this machine reaches)
XEN_SRC_VERSION=${KMV_XEN_SRC_VERSION:-4.17.5+72-g01140da4e8-1}
FORCE=0
for a in "$@"; do
	case $a in
	--force) FORCE=1 ;;
	*) echo "build-xen.sh: unknown option '$a' (only --force)" >&2; exit 2 ;;
	esac
done
SRC=$CACHE/src/xen-${XEN_SRC_VERSION%-*}
OUT=$CACHE/xen-pv32
log() { echo "build-xen: $*" >&2; }

if [ $FORCE = 0 ] && [ -s "$OUT/xen" ] && [ -s "$OUT/config.delta" ]; then
	log "cached: $OUT/xen"
	echo "$OUT/xen"
	exit 0
fi
mkdir -p "$CACHE/src" "$OUT"

if [ ! -d "$SRC/xen" ]; then
	if ! apt-cache showsrc "xen=$XEN_SRC_VERSION" 2>/dev/null | grep -q '^Package: xen'; then
		log "adding a deb-src entry for deb.debian.org bookworm main"
		cat > /etc/apt/sources.list.d/kmapvisor-xen-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt-get update -qq
	fi
	command -v dpkg-source >/dev/null || apt-get install -y -qq dpkg-dev
	(cd "$CACHE/src" && apt-get source --download-only "xen=$XEN_SRC_VERSION" >&2)
	(cd "$CACHE/src" && dpkg-source -x "xen_$XEN_SRC_VERSION.dsc" "$SRC" >&2)
fi

for p in bison flex python3; do
	command -v $p >/dev/null || apt-get install -y -qq $p
done

MK="make -C $SRC/xen XEN_TARGET_ARCH=x86_64 XEN_COMPILE_ARCH=x86_64"
# Debian's configuration first, for the delta
cp "$SRC/debian/xen-kconfig" "$SRC/xen/.config"
$MK olddefconfig >/dev/null
cp "$SRC/xen/.config" "$OUT/config.debian"
cp "$SRC/debian/xen-kconfig" "$SRC/xen/.config"
echo "CONFIG_PV32=y" >> "$SRC/xen/.config"
$MK olddefconfig >/dev/null
cp "$SRC/xen/.config" "$OUT/config"
diff "$OUT/config.debian" "$OUT/config" | grep '^[<>] ' > "$OUT/config.delta" || true
grep -q '^CONFIG_PV32=y' "$OUT/config" || { log "CONFIG_PV32 did not stick"; exit 1; }
grep -q '^CONFIG_DEBUG=y' "$OUT/config" && { log "a debug config"; exit 1; }
log "config delta against Debian's: $(tr '\n' ' ' < "$OUT/config.delta")"

start=$(date +%s)
# the machine is shared: nice, two jobs
nice -n 10 $MK -j2 >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; exit 1; }
end=$(date +%s)
cp "$SRC/xen/xen" "$SRC/xen/xen.gz" "$SRC/xen/xen-syms" "$OUT/"
echo "$((end - start))" > "$OUT/build-seconds"
echo "$XEN_SRC_VERSION" > "$OUT/version"
log "built in $((end - start)) s: $OUT/xen"
echo "$OUT/xen"
