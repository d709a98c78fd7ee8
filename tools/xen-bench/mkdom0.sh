#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# dom0 for the Xen side of the bench: Debian's kernel (linux-image-amd64)
# and a small initramfs: busybox-static for the shell, the Xen modules of
# that kernel, xenstored, xenconsoled and xl from xen-utils-4.17 (Debian's
# binaries and libraries).  Its /init boots the toolstack, runs
# `xl create /guest/guest.cfg`, waits for the domain to go, prints the
# guest's console log between "=== domU console ===" and
# "=== end of domU console ===" and powers the machine off.
# Cached in $KMV_XEN_CACHE (/var/cache/kmapvisor-xen)/dom0.
#   tools/xen-bench/mkdom0.sh [--force]
# Prints "KERNEL INITRD".
set -eu
CACHE=${KMV_XEN_CACHE:-/var/cache/kmapvisor-xen}
FORCE=0
for a in "$@"; do
	case $a in
	--force) FORCE=1 ;;
	*) echo "mkdom0.sh: unknown option '$a' (only --force)" >&2; exit 2 ;;
	esac
done
OUT=$CACHE/dom0
log() { echo "mkdom0: $*" >&2; }
if [ $FORCE = 0 ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.cpio.gz" ]; then
	echo "$OUT/vmlinuz $OUT/initrd.cpio.gz"
	exit 0
fi
DEBS=$CACHE/debs
mkdir -p "$DEBS" "$OUT"
# Debian's packages, downloaded (not installed on this machine)
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$KPKG" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
(cd "$DEBS" && for p in "$KPKG" xen-utils-4.17 busybox-static; do
	ls ./"${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" >&2
done)
# the libraries xl links against (libxen-dev's dependencies, as on this host)
for p in libxenmisc4.17 libxenstore4 libyajl2; do
	dpkg -s "$p" >/dev/null 2>&1 || apt-get install -y -qq "$p" >&2
done
X=$OUT/x
rm -rf "$X" "$OUT/root"
mkdir -p "$X"
for d in "$DEBS/${KPKG}"_*.deb "$DEBS"/xen-utils-4.17_*.deb "$DEBS"/busybox-static_*.deb; do
	dpkg-deb -x "$d" "$X"
done
R=$OUT/root
mkdir -p "$R/bin" "$R/sbin" "$R/lib/modules" "$R/lib64" "$R/lib/x86_64-linux-gnu" "$R/etc/xen" \
	"$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/tmp" "$R/var/log/xen/console" "$R/var/lib/xen" \
	"$R/var/lib/xenstored" "$R/var/run/xen" "$R/guest"
cp "$X/bin/busybox" "$R/bin/busybox"
for t in sh mount umount insmod mkdir sleep cat echo ls poweroff grep ps dmesg ln; do
	ln -sf busybox "$R/bin/$t"
done
KVER=$(ls "$X/lib/modules")
MD=$X/lib/modules/$KVER/kernel/drivers/xen
for m in xen-privcmd.ko xenfs/xenfs.ko xen-evtchn.ko xen-gntdev.ko xen-gntalloc.ko; do
	cp "$MD/$m" "$R/lib/modules/"
done
XB=$X/usr/lib/xen-4.17/bin
for b in xl xenstored xenconsoled xen-init-dom0; do
	cp "$XB/$b" "$R/sbin/$b"
done
ldd "$XB/xl" "$XB/xenstored" "$XB/xenconsoled" "$XB/xen-init-dom0" | awk '/=> \// {print $3}' | sort -u |
	while read -r l; do cp -L "$l" "$R/lib/x86_64-linux-gnu/"; done
cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
# pthread_cancel (xl) dlopens libgcc_s
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$R/lib/x86_64-linux-gnu/"
cat > "$R/etc/xen/xl.conf" <<'XLC'
autoballoon="off"
XLC
cat > "$R/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mkdir -p /run/xen /run/xenstored /var/run/xenstored
for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc; do insmod /lib/modules/$m.ko; done
mount -t xenfs xenfs /proc/xen
echo "dom0: starting xenstored"
xenstored --pid-file /run/xenstored.pid
xen-init-dom0
xenconsoled --log=guest --log-dir=/var/log/xen/console --pid-file=/run/xenconsoled.pid
echo "dom0: xl create"
T0=$(cat /proc/uptime)
if xl create /guest/guest.cfg; then
	i=0
	while xl list guest >/dev/null 2>&1 && [ $i -lt ${XB_TIMEOUT:-600} ]; do sleep 1; i=$((i+1)); done
	xl list guest >/dev/null 2>&1 && { echo "dom0: the guest is still running after ${i}s: destroying it"; xl destroy guest; }
fi
T1=$(cat /proc/uptime)
sleep 1
echo "dom0: guest ran from uptime ${T0%% *} to ${T1%% *}"
echo "=== domU console ==="
cat /var/log/xen/console/guest-guest.log 2>/dev/null
echo "=== end of domU console ==="
xl dmesg 2>/dev/null | grep -i "d1\|guest" | tail -20
echo "dom0: powering off"
poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/initrd.cpio.gz"
cp "$X/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
echo "$KVER" > "$OUT/kernel-version"
rm -rf "$X"
log "dom0: kernel $KVER, initramfs $(du -h "$OUT/initrd.cpio.gz" | cut -f1)"
echo "$OUT/vmlinuz $OUT/initrd.cpio.gz"
