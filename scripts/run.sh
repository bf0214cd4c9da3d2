#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: the visualizer on the default
# classroom scenario; without a display, the same scenario's trace as text.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target netstep >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/sim/netstep view "$@"
else
  exec build/sim/netstep run scenarios/default.yaml "$@"
fi
