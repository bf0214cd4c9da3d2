#!/usr/bin/env bash
# Rewrites every golden transcript (scenarios/*.trace.txt, tests/data/shell/*.txt) from the current
# build. Review the diff!
set -euo pipefail
cd "$(dirname "$0")/.."
for f in scenarios/*.yaml; do
  build/sim/netstep run "$f" > "${f%.yaml}.trace.txt" || [ $? -eq 1 ]
done
# netstep shell's golden sessions (tests/data/shell/NAME.commands -> NAME.txt).
UPDATE=1 ctest --test-dir build -R '^shell: golden' >/dev/null
git diff --stat -- scenarios/ tests/data/shell/ || true
