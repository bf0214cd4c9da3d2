#!/usr/bin/env bash
# Builds the viewer for the browser (viz/web): Debian's Emscripten, and Dear ImGui 1.86's and
# libyaml 0.2.5's sources from Debian's source packages, into build-web/ (or $1). Installs what is missing first
# (scripts/setup-web.sh). The result: build-web/{index.html,netstep-view.js,netstep-view.wasm},
# which `netstep export FILE --web DIR` copies beside the lesson's trace.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-$root/build-web}"
bash scripts/setup-web.sh
mkdir -p "$out/src"
imgui_dir=$(ls -d "$out"/src/imgui-1.86*/ 2>/dev/null | head -1 || true)
if [ -z "$imgui_dir" ]; then
  (cd "$out/src" && apt-get source -qq imgui >/dev/null 2>&1) || { echo "build-web: apt-get source imgui failed" >&2; exit 1; }
  imgui_dir=$(ls -d "$out"/src/imgui-1.86*/ | head -1)
fi
# Debian's emscripten runs its tools with Debian's node modules (acorn), whatever node is first.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
yaml_dir=$(ls -d "$out"/src/libyaml-0.2*/ 2>/dev/null | head -1 || true)
if [ -z "$yaml_dir" ]; then
  (cd "$out/src" && apt-get source -qq libyaml >/dev/null 2>&1) || { echo "build-web: apt-get source libyaml failed" >&2; exit 1; }
  yaml_dir=$(ls -d "$out"/src/libyaml-0.2*/ | head -1)
fi
emcmake cmake -S viz/web -B "$out" "${generator[@]}" -DIMGUI_SOURCE_DIR="${imgui_dir%/}" -DLIBYAML_SOURCE_DIR="${yaml_dir%/}" >/dev/null
cmake --build "$out" -j "${WEB_JOBS:-$(nproc)}"
