#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A tool the project installs and cannot find is a FAIL in CI (CI=true),
# with the installer's reason, and a SKIP only elsewhere: a green CI must
# not hide a cross compiler that was never there.  tools/kmap-conform.sh
# runs its MIPS target with a PATH that hides mips-linux-gnu-gcc (the
# package stays installed, so nothing is installed or removed here).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
farm=$(mktemp -d)
trap 'rm -rf "$farm"' EXIT
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
    case $(basename "$f") in mips-linux-gnu-*) continue ;; esac
    [ -e "$farm/$(basename "$f")" ] || ln -s "$f" "$farm/"
done
pass=0 fail=0
check() { # name condition...
    local name=$1; shift
    if "$@"; then pass=$((pass + 1)); echo "PASS  $name"; else fail=$((fail + 1)); echo "FAIL  $name"; fi
}
ci_out=$(cd "$top" && CI=true PATH=$farm bash tools/kmap-conform.sh --only mips 2>&1); ci_rc=$?
out=$(cd "$top" && CI= PATH=$farm bash tools/kmap-conform.sh --only mips 2>&1); rc=$?
check "CI: a missing cross compiler fails, with the reason" \
    bash -c '[ "$1" != 0 ] && grep -q "^FAIL  mips: no mips-linux-gnu-gcc (.*gcc-mips-linux-gnu" <<<"$2"' _ "$ci_rc" "$ci_out"
check "outside CI: it is skipped, with the reason" \
    bash -c '[ "$1" = 0 ] && grep -q "^SKIP  mips: no mips-linux-gnu-gcc (.*gcc-mips-linux-gnu" <<<"$2"' _ "$rc" "$out"
[ $fail = 0 ] || { echo "--- CI run:"; echo "$ci_out" | tail -5; echo "--- plain run:"; echo "$out" | tail -5; }
echo "missing-tools: $pass passed, $fail failed"
[ $fail = 0 ]
