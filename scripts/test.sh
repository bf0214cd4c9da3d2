#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (CTest): the whole suite under ASan +
# UBSan (preset asan), with CI=true each fuzz target for 25 s, two at a time (scripts/fuzz.sh),
# with CI=true the viewer built for the browser (scripts/build-web.sh: every lesson is then
# opened in headless Chromium by a CTest), with CI=true (or NETSTEP_TEST_PACKAGE=1) the Debian package built, installed, run and purged
# (scripts/test-package.sh: root or sudo; a developer's plain run installs nothing), and last the
# whole suite in the normal build (preset default), so ctest's closing lines end the output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs="$(nproc)"
status=0

echo "== asan: build and test (ASan + UBSan, leak checks)"
bash scripts/build.sh asan
ctest --preset asan -j "$jobs" || status=1

if [ "${CI:-}" = "true" ]; then
  echo "== fuzz: 25 s per target, two at a time (a smoke test: the long runs are scripts/fuzz.sh)"
  FUZZ_JOBS=2 bash scripts/fuzz.sh 25 || status=1
fi

echo "== default: build and test"
bash scripts/build.sh default
if [ "${CI:-}" = "true" ]; then
  echo "== web: the viewer for the browser (Emscripten), for the browser test"
  bash scripts/build-web.sh || status=1
fi
if [ "${CI:-}" = "true" ] || [ "${NETSTEP_TEST_PACKAGE:-}" = "1" ]; then
  bash scripts/test-package.sh build || status=1
fi
ctest --preset default -j "$jobs" || status=1
exit "$status"
