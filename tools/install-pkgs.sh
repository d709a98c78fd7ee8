# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tools/linux-check.sh and tools/kmap-conform.sh: install
# Debian packages the project needs, remember why one could not be
# installed, and decide what a missing tool is.
#
#   install_pkgs PKG...     install what is missing (as root); apt's own
#                           error for each package that fails is kept
#   install_error PKG       that error, one line (empty: none recorded)
#   missing_tool_verdict    "fail" under CI (CI=true), else "skip": in CI a
#                           tool the project installs and cannot find is a
#                           failure with the installer's reason, not a skip
#
# gcc-multilib: kmapvisor does not need it (the guests link with
# -nostdlib; i386 user code is built with i686-linux-gnu-gcc), and Debian
# 12's cross compilers conflict with it.  When it is installed and a cross
# compiler fails, the error says to remove it.

declare -A INSTALL_ERR=()
INSTALL_APT_UPDATED=0

install_have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_pkgs() {
	local missing=() p out
	for p in "$@"; do
		install_have_pkg "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		for p in "${missing[@]}"; do INSTALL_ERR[$p]="not root: apt-get install $p"; done
		return 1
	fi
	echo "installing ${missing[*]}"
	if [ $INSTALL_APT_UPDATED = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		INSTALL_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null 2>&1 && return 0
	# One at a time, keeping each one's error.
	for p in "${missing[@]}"; do
		out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" 2>&1) && continue
		out=$(printf '%s\n' "$out" | grep -E '^(E:| [^ ].*(Depends|Conflicts|Breaks))' | head -3 | tr '\n' ' ')
		if install_have_pkg gcc-multilib && [[ $p == gcc-*-linux-gnu* ]]; then
			out="$out(gcc-multilib is installed and conflicts with Debian's cross compilers; kmapvisor does not need it: apt-get remove gcc-multilib)"
		fi
		INSTALL_ERR[$p]="apt-get install $p failed: ${out:-no reason given}"
		echo "could not install $p: ${INSTALL_ERR[$p]}"
	done
	return 0
}

install_error() {
	printf '%s' "${INSTALL_ERR[$1]:-}"
}

missing_tool_verdict() {
	if [ "${CI:-}" = true ]; then echo fail; else echo skip; fi
}
