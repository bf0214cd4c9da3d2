#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh default
ctest --preset default -j "$(nproc)"
