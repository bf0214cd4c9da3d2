#!/usr/bin/env bash
# The Debian package, for real: builds it with CPack in the default build (build/), installs it
# with dpkg, runs the installed netstep from /tmp (--version, check of the installed scenarios,
# a screenshot under xvfb-run), runs lintian when it is there, then purges the package and
# checks that nothing it installed is left.
#
# It installs into the system, so it needs root or password-less sudo, and refuses to touch a
# netstep package that was installed before it ran. scripts/test.sh runs it when CI=true or
# NETSTEP_TEST_PACKAGE=1 (a developer's plain ./scripts/test.sh does not install anything);
# run it by hand after `./scripts/build.sh`: `bash scripts/test-package.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
start=$(date +%s)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else echo "test-package: skipped: needs root or password-less sudo to install the package" >&2; exit 0; fi
fi
if dpkg-query -W -f='${Status}' netstep 2>/dev/null | grep -q "installed"; then
  echo "test-package: skipped: a netstep package is already installed; not touching it" >&2
  exit 0
fi

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
version=$(sed -n 's/^project(netstep VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
arch=$(dpkg --print-architecture)
deb="$build/netstep_${version}_${arch}.deb"

echo "== package: cpack -G DEB in $build"
rm -f "$deb"
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log" >&2; fail "cpack"; }
[ -f "$deb" ] || fail "cpack made no $deb"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends)"

work=$(mktemp -d /tmp/netstep-package.XXXXXX)
installed=0
cleanup() {
  if [ "$installed" = 1 ]; then $SUDO dpkg -P netstep >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== package: dpkg -i"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
if ! $SUDO dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  installed=1
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq --no-install-recommends >>"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log" >&2; fail "dpkg -i $deb, then apt-get install -f"; }
fi
installed=1
dpkg-query -W -f='${Status}' netstep | grep -q "install ok installed" || fail "netstep is not installed"

# From /tmp, without the source tree's help: the installed files only.
cd "$work"
unset NETSTEP_SCENARIOS_DIR
[ "$(command -v netstep)" = /usr/bin/netstep ] || fail "netstep is not /usr/bin/netstep: $(command -v netstep)"
got=$(netstep --version)
[ "$got" = "netstep $version" ] || fail "netstep --version: '$got', expected 'netstep $version'"
echo "netstep --version: $got"
[ -x /usr/lib/netstep/netstep-view ] || fail "no /usr/lib/netstep/netstep-view"
[ -f /usr/share/netstep/scenarios/default.yaml ] || fail "no /usr/share/netstep/scenarios/default.yaml"
# A minimal image's dpkg may leave out docs and man pages (path-exclude in /etc/dpkg/dpkg.cfg.d/).
excluded() {
  local pattern
  for pattern in $(cat /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* 2>/dev/null | sed -n 's/^path-exclude[= ]//p'); do
    # shellcheck disable=SC2053
    [[ $1 == $pattern ]] && return 0
  done
  return 1
}
for f in /usr/share/man/man1/netstep.1.gz /usr/share/doc/netstep/README.md /usr/share/doc/netstep/copyright \
         /usr/share/applications/netstep.desktop /usr/share/icons/hicolor/scalable/apps/netstep.svg \
         /usr/share/bash-completion/completions/netstep; do
  [ -f "$f" ] || excluded "$f" || fail "not installed: $f"
done
if [ -f /usr/share/man/man1/netstep.1.gz ]; then
  zcat /usr/share/man/man1/netstep.1.gz | grep -q '^\.SH NAME' || fail "netstep.1.gz is not the man page"
fi
bash -c 'source /usr/share/bash-completion/completions/netstep 2>/dev/null || true; complete -p netstep' >/dev/null 2>&1 ||
  fail "the bash completion does not define a completion for netstep"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/netstep.desktop || fail "desktop-file-validate"
fi

echo "== package: netstep check /usr/share/netstep/scenarios"
netstep check /usr/share/netstep/scenarios --quiet >check.log 2>&1 || { cat check.log >&2; fail "netstep check"; }
tail -1 check.log

if [ -f /usr/share/netstep/web/netstep-view.wasm ]; then
  echo "== package: netstep export --web with the installed viewer for the browser"
  netstep export /usr/share/netstep/scenarios/default.yaml --web "$work/lesson" || fail "netstep export --web"
  for f in index.html netstep-view.js netstep-view.wasm trace.json; do
    [ -s "$work/lesson/$f" ] || fail "netstep export --web: no $f"
  done
fi

echo "== package: netstep view, a screenshot under xvfb-run"
# Without a file, `netstep view` opens the installed default lesson (the error names it).
err=$(xvfb-run -a netstep view --screenshot "$work/beyond.png" --step 999999 2>&1 >/dev/null) && fail "--step 999999 succeeded"
case "$err" in *"/usr/share/netstep/scenarios/default.yaml"*) ;; *) fail "netstep view without a file: $err" ;; esac
xvfb-run -a netstep view /usr/share/netstep/scenarios/default.yaml --screenshot "$work/step5.png" --step 5 ||
  fail "netstep view --screenshot"
size=$(stat -c %s "$work/step5.png" 2>/dev/null || echo 0)
[ "$(head -c 8 "$work/step5.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "step5.png is not a PNG"
[ "$size" -gt 20000 ] || fail "step5.png is only $size bytes"
dims=$(file "$work/step5.png")
case "$dims" in *"1280 x 800"*) ;; *) fail "step5.png: $dims" ;; esac
echo "screenshot: $size bytes, 1280x800"
[ -n "${NETSTEP_PACKAGE_SCREENSHOT:-}" ] && cp "$work/step5.png" "$NETSTEP_PACKAGE_SCREENSHOT"
cd - >/dev/null

if command -v lintian >/dev/null; then
  echo "== package: lintian (errors fail; the warnings left are explained in scripts/package/README.md)"
  lintian --fail-on error "$deb" || fail "lintian found errors"
fi

echo "== package: dpkg -r, dpkg -P, and nothing left"
$SUDO dpkg -r netstep >/dev/null
$SUDO dpkg -P netstep >/dev/null 2>&1
installed=0
dpkg-query -W -f='${Status}' netstep 2>/dev/null | grep -q "installed" && fail "netstep is still installed"
left=""
while read -r path; do
  [ -z "$path" ] || [ "${path%/}" != "$path" ] && continue  # directories: shared ones stay
  [ -e "$path" ] || [ -L "$path" ] && left+=" $path"
done <"$work/contents"
for dir in /usr/share/netstep /usr/lib/netstep /usr/share/doc/netstep; do
  [ -e "$dir" ] && left+=" $dir"
done
[ -z "$left" ] || fail "left behind after dpkg -P:$left"
[ -e /usr/bin/netstep ] && fail "/usr/bin/netstep still there"
echo "test-package: OK ($(( $(date +%s) - start )) s)"
