#!/usr/bin/env bash
# The web build's and its browser test's Debian packages (scripts/build-web.sh, tests/web): Emscripten
# (with node-acorn for its tools), chromium, and a deb-src entry for `apt-get source imgui`.
# Idempotent; quiet when all is there.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
PACKAGES=(emscripten node-acorn chromium dpkg-dev libfmt-dev nlohmann-json3-dev libstb-dev fonts-dejavu-core python3)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Source packages: a deb-src file of its own beside Debian's deb822 sources (never edited).
src=/etc/apt/sources.list.d/netstep-deb-src.sources
update=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  update=1
fi
[ ${#missing[@]} -eq 0 ] && [ "$update" -eq 0 ] && exit 0
echo "netstep web setup: installing ${missing[*]:-(source index)}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
[ ${#missing[@]} -eq 0 ] || $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
