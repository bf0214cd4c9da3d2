#!/usr/bin/env bash
# Rewrites every golden transcript (scenarios/*.trace.txt) from the current build. Review the diff!
set -euo pipefail
cd "$(dirname "$0")/.."
for f in scenarios/*.yaml; do
  build/sim/netstep run "$f" > "${f%.yaml}.trace.txt" || [ $? -eq 1 ]
done
git diff --stat -- scenarios/ || true
