#!/usr/bin/env bash
# Installs every Debian 12 package netstep needs. Idempotent; quiet when all is there.
set -euo pipefail

PACKAGES=(
  cmake g++ pkg-config make ninja-build
  libsimgrid-dev
  libimgui-dev libstb-dev libglfw3-dev libgl-dev libgl1-mesa-dri
  doctest-dev libyaml-dev libpcap-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  fonts-dejavu-core xvfb xauth tshark
  tmux  # tests: netstep shell in a real terminal
  ccache  # faster rebuilds
  libcairo2-dev poppler-utils librsvg2-bin  # exports: PDF/SVG/PNG, read back by tests
  dpkg-dev file lintian desktop-file-utils  # the .deb: cpack's dpkg-shlibdeps; lintian, desktop-file-validate (scripts/test-package.sh)
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "netstep setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
