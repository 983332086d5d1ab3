#!/bin/sh
# Install the Debian packages sshdoctor needs, if any are missing.
#   scripts/deps.sh build   what building needs
#   scripts/deps.sh test    what building and the whole test suite need
# Needs root (or sudo) only when something is missing. Installing
# openssh-server must not start a system sshd: a policy-rc.d keeps it down.
set -eu

BUILD_PKGS="gcc make cmake pkg-config libpcre2-dev libyaml-dev libjansson-dev libncurses-dev libssh-dev"
TEST_PKGS="libcmocka-dev openssh-client openssh-server tmux clang libclang-rt-14-dev ripgrep python3 procps jq iproute2 time util-linux passwd"

want="$BUILD_PKGS"
[ "${1:-build}" = test ] && want="$want $TEST_PKGS"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "sshdoctor: installing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "sshdoctor: run as root, or install:$missing" >&2
		exit 1
	}
	SUDO=sudo
fi
policy=/usr/sbin/policy-rc.d
made_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
	$SUDO chmod 755 "$policy"
	made_policy=yes
fi
# An EXIT trap's status becomes the script's: it must not fail when there
# was nothing to remove.
cleanup() { if [ "$made_policy" = yes ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
