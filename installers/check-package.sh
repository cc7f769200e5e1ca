#!/usr/bin/env bash
# check-package.sh BUILD_DIR VERSION: the tst_package test (CTest label "package").
#
# Builds the DEB with CPack from an already built BUILD_DIR into a temporary folder, lints it
# (lintian: no errors; overrides ship in the package), unpacks it into a throwaway root
# (dpkg -x; nothing is installed on this machine and Qt comes from the system), then runs what
# it installed: --version and --help of both programs, desktop-file-validate and appstreamcli
# on the desktop entry and the metainfo, and a real screenshot of the installed ppg-console
# talking to the installed ppg-sandbox (--port 0 --ephemeral). The screenshot is kept as
# BUILD_DIR/installers/tst_package-screenshot.png.
# Exit 77 (skipped) on a machine without dpkg, except under CI (CI set), where that fails.
set -euo pipefail

BUILD=$(cd "${1:?usage: check-package.sh BUILD_DIR VERSION}" && pwd)
VERSION=${2:?usage: check-package.sh BUILD_DIR VERSION}
APP_ID=io.prisma.ppg-console
START=$(date +%s)

step() { printf '== %s (%ss)\n' "$*" "$(($(date +%s) - START))"; }
fail() { printf 'tst_package: FAIL: %s\n' "$*" >&2; exit 1; }

if ! command -v dpkg-deb >/dev/null; then
  # Under CI (CI set) the machine is Debian and ./dev installs dpkg-dev: a missing dpkg-deb fails.
  [ -z "${CI:-}" ] || fail "dpkg-deb is missing (Debian package dpkg-dev; ./dev deps installs it)"
  echo "tst_package: skipped, not a Debian-like system (no dpkg-deb)"
  exit 77
fi
missing=()
for tool in cpack lintian dpkg-shlibdeps desktop-file-validate appstreamcli file; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || fail "missing tools: ${missing[*]} (./dev deps installs them)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ppg-package.XXXXXX")
SANDBOX_PID=""
cleanup() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    # --ephemeral: it stops and deletes its cluster before exiting.
    for _ in $(seq 1 300); do kill -0 "$SANDBOX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SANDBOX_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. Build the package -------------------------------------------------------------------
step "cpack -G DEB"
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/out" >"$WORK/cpack.log" 2>&1 \
  || { cat "$WORK/cpack.log" >&2; fail "cpack -G DEB failed"; }
DEBS=("$WORK"/out/*.deb)
[ ${#DEBS[@]} -eq 1 ] && [ -f "${DEBS[0]}" ] || { cat "$WORK/cpack.log" >&2; fail "expected one .deb, got: ${DEBS[*]}"; }
DEB=${DEBS[0]}
echo "package: $(basename "$DEB"), $(stat -c %s "$DEB") bytes"
dpkg-deb --field "$DEB" Package Version Architecture Depends Recommends

[ "$(dpkg-deb --field "$DEB" Version)" = "$VERSION" ] || fail "package version is not $VERSION"
DEPENDS=$(dpkg-deb --field "$DEB" Depends)
# Computed by dpkg-shlibdeps from the binaries, not listed by hand:
for lib in libc6 libstdc++6 libqt6core6 libqt6widgets6 libqt6network6 libqt6httpserver6 libqt6keychain1 libpq5; do
  case ", $DEPENDS," in *", $lib "* | *", $lib,"*) ;; *) false ;; esac || fail "Depends lacks $lib: shlibdeps did not run? ($DEPENDS)"
done

# --- 2. Lint it -------------------------------------------------------------------------------
step "lintian"
# Errors fail the test; warnings and notes are shown. Overrides: usr/share/lintian/overrides.
lintian_rc=0
lintian --fail-on error --display-info "$DEB" >"$WORK/lintian.log" 2>&1 || lintian_rc=$?
grep -v 'running with root privileges' "$WORK/lintian.log" || true
if [ "$lintian_rc" -ne 0 ] || grep -q '^E: ' "$WORK/lintian.log"; then
  fail "lintian reports errors (above, exit $lintian_rc)"
fi
echo "lintian: $(grep -c '^E: ' "$WORK/lintian.log" || true) errors, $(grep -c '^W: ' "$WORK/lintian.log" || true) warnings, $(grep -c '^I: ' "$WORK/lintian.log" || true) notes"

# --- 3. Unpack it into a throwaway root -------------------------------------------------------
step "dpkg -x"
ROOT="$WORK/root"
dpkg -x "$DEB" "$ROOT"
expected=(
  usr/bin/ppg-console
  usr/bin/ppg-sandbox
  usr/share/applications/$APP_ID.desktop
  usr/share/metainfo/$APP_ID.metainfo.xml
  usr/share/icons/hicolor/scalable/apps/$APP_ID.svg
  usr/share/man/man1/ppg-console.1.gz
  usr/share/man/man1/ppg-sandbox.1.gz
  usr/share/doc/ppg-console/copyright
  usr/share/doc/ppg-console/changelog.gz
  usr/share/lintian/overrides/ppg-console
)
for size in 16 24 32 48 64 128 256; do
  expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png")
done
for f in "${expected[@]}"; do
  [ -s "$ROOT/$f" ] || fail "the package does not install /$f"
done
for size in 16 24 32 48 64 128 256; do
  file -b "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png" | grep -q "PNG image data, $size x $size, 8-bit/color RGBA" \
    || fail "the ${size}x${size} icon is not a ${size}x${size} RGBA PNG"
done
for bin in ppg-console ppg-sandbox; do
  file -b "$ROOT/usr/bin/$bin" | grep -q 'ELF.*stripped' || fail "/usr/bin/$bin is not an ELF program"
  file -b "$ROOT/usr/bin/$bin" | grep -q 'not stripped' && fail "/usr/bin/$bin is not stripped"
  # System Qt and libraries only: nothing bundled, nothing missing, no RPATH into the build.
  if ldd "$ROOT/usr/bin/$bin" | grep -q 'not found'; then ldd "$ROOT/usr/bin/$bin" >&2; fail "$bin: unresolved libraries"; fi
  if readelf -d "$ROOT/usr/bin/$bin" | grep -Eq 'R(UN)?PATH'; then fail "$bin has an RPATH"; fi
done

# --- 4. The installed programs answer --version and --help ------------------------------------
step "--version and --help"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
       XDG_CACHE_HOME="$WORK/home/.cache" XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
for bin in ppg-console ppg-sandbox; do
  out=$("$ROOT/usr/bin/$bin" --version) || fail "$bin --version exited with $?"
  [ "$out" = "$bin $VERSION" ] || fail "$bin --version printed '$out', expected '$bin $VERSION'"
  echo "$out"
  help=$("$ROOT/usr/bin/$bin" --help) || fail "$bin --help exited with $?"
  grep -q -- '--version' <<<"$help" && grep -q '^Usage: ' <<<"$help" || fail "$bin --help: $help"
done

# --- 5. Desktop entry and AppStream metainfo --------------------------------------------------
step "desktop-file-validate"
desktop-file-validate "$ROOT/usr/share/applications/$APP_ID.desktop" || fail "desktop-file-validate"
step "appstreamcli validate"
appstreamcli validate --no-net --explain "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml" \
  || fail "appstreamcli validate"
appstreamcli validate-tree --no-net "$ROOT" || fail "appstreamcli validate-tree"
newest=$(grep -o '<release version="[^"]*"' "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml" | head -1 | cut -d'"' -f2)
[ "$newest" = "$VERSION" ] || fail "the newest <release> in the metainfo is '$newest', not $VERSION: add one"
grep -q "^Icon=$APP_ID$" "$ROOT/usr/share/applications/$APP_ID.desktop" || fail "Icon= is not $APP_ID"
# Console links (ppg-console://open?…) reach the console through its desktop entry.
grep -q '^MimeType=.*x-scheme-handler/ppg-console;' "$ROOT/usr/share/applications/$APP_ID.desktop" \
  || fail "the desktop entry does not register the ppg-console: scheme"
grep -q '^Exec=ppg-console %u$' "$ROOT/usr/share/applications/$APP_ID.desktop" \
  || fail "the desktop entry's Exec= does not pass the link (%u)"

# --- 6. The installed console on the installed sandbox: a screenshot --------------------------
step "starting the installed ppg-sandbox"
TOKEN="ppg-package-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
EMPTY_TOKEN="ppg-package-empty-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" # a workspace with nothing in it
"$ROOT/usr/bin/ppg-sandbox" --port 0 --ephemeral --data-dir "$WORK/sandbox" \
  --token "$TOKEN=Package check" --token "$EMPTY_TOKEN=Empty" --seed-projects 3 --seed-databases-per-project 2 \
  --seed-connections-per-database 1 --provisioning-ms 0 >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
URL=""
for _ in $(seq 1 1200); do
  URL=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$WORK/sandbox.log" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.log" >&2; fail "ppg-sandbox exited"; }
  sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/sandbox.log" >&2; fail "ppg-sandbox did not print 'listening on' within 120 s"; }
echo "sandbox: $URL"

step "ppg-console --screenshot (offscreen)"
SHOT="$WORK/screenshot.png"
if ! PRISMA_SERVICE_TOKEN="$TOKEN" timeout 90 "$ROOT/usr/bin/ppg-console" --api-url "$URL" --screenshot "$SHOT" \
     >"$WORK/console.log" 2>&1; then
  cat "$WORK/console.log" >&2
  fail "ppg-console --screenshot failed"
fi
grep -q "$TOKEN" "$WORK/console.log" && fail "the console printed the token"
[ -s "$SHOT" ] || fail "no screenshot"
desc=$(file -b "$SHOT")
echo "screenshot: $desc, $(stat -c %s "$SHOT") bytes"
read -r w h < <(sed -n 's/^PNG image data, \([0-9]*\) x \([0-9]*\),.*/\1 \2/p' <<<"$desc")
[ -n "${w:-}" ] && [ "$w" -ge 400 ] && [ "$h" -ge 300 ] || fail "the screenshot is not a PNG of at least 400x300: $desc"
# A blank or single-colour window compresses to a few hundred bytes; a drawn one does not.
[ "$(stat -c %s "$SHOT")" -ge 8000 ] || fail "the screenshot looks empty ($(stat -c %s "$SHOT") bytes)"
cp "$SHOT" "$BUILD/installers/tst_package-screenshot.png"

step "ppg-console --search on an empty workspace (every level is in with the first)"
if ! PRISMA_SERVICE_TOKEN="$EMPTY_TOKEN" timeout 30 "$ROOT/usr/bin/ppg-console" --api-url "$URL" --search zzz \
     --screenshot "$WORK/search-empty.png" >"$WORK/console-empty.log" 2>&1; then
  cat "$WORK/console-empty.log" >&2
  fail "ppg-console --search did not finish on an empty workspace"
fi
[ -s "$WORK/search-empty.png" ] || fail "no screenshot of the search on an empty workspace"

step "stopping the sandbox"
kill -TERM "$SANDBOX_PID"
wait "$SANDBOX_PID" || fail "ppg-sandbox did not stop cleanly (exit $?): $(tail -5 "$WORK/sandbox.log")"
SANDBOX_PID=""

step "tst_package: PASS"
