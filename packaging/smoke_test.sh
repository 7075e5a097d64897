#!/usr/bin/env bash
# Smoke-test the built Linux packages: builds nothing, installs and runs what `dev.py package linux` made.
#
#   packaging/smoke_test.sh [--apt] [DEB] [TARBALL]      (defaults: the newest in dist/)
#
# For the .deb and for the tarball, each on its own:
#   * the package's contents: binary, /usr/bin link, .desktop (tel:, callto:, sip:), metainfo, icons,
#     maintainer scripts; desktop-file-validate / appstreamcli validate where installed
#   * every library the bundle links is found on this machine (the .deb's Depends are enough)
#   * call-launcher --version, providers --json (4 providers), --self-test
#   * call-launcher sandbox on a free loopback port (uvicorn + all 4 simulators), then a profile whose
#     secret goes to a private GNOME Keyring (Secret Service, frozen keyring backend) and one real call
#     through that sandbox with it
#   * the window starts on a virtual X display (Xvfb, the xcb platform plugin) and keeps running
# The .deb is unpacked with dpkg -x into a temporary root (no root needed, nothing on the system
# changes). With --apt (as root, or with sudo) it is installed for real with apt-get, checked at
# /usr/bin/call-launcher, removed with apt-get remove, and every file it had must be gone.
#
# Everything runs with QT_QPA_PLATFORM=offscreen (except the Xvfb check), a temporary
# CALL_LAUNCHER_HOME and HOME, and a private D-Bus: your own config and keyring are never touched.
# Needs: dpkg-deb, python3, tar; optional: dbus-daemon + gnome-keyring-daemon (keyring check),
# Xvfb (window check), desktop-file-validate, appstreamcli. CALL_LAUNCHER_REQUIRE_KEYRING=1 makes a
# missing keyring check a failure instead of a skip; likewise CALL_LAUNCHER_REQUIRE_XVFB=1.
set -euo pipefail

cd "$(dirname "$0")/.."
started=$SECONDS
use_apt=0
positional=()
for arg in "$@"; do
  case "$arg" in
    --apt) use_apt=1 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) positional+=("$arg") ;;
  esac
done
deb=${positional[0]:-$(ls -t dist/call-launcher_*.deb 2>/dev/null | head -1 || true)}
tarball=${positional[1]:-$(ls -t dist/call-launcher-*-linux-*.tar.gz 2>/dev/null | head -1 || true)}

failures=0
passes=0
fail() { echo "SMOKE FAIL: $*" >&2; failures=$((failures + 1)); }
die() { echo "SMOKE FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; passes=$((passes + 1)); }
skip() { echo "  skipped: $*"; }

[ -n "$deb" ] && [ -f "$deb" ] || die "no .deb given or found in dist/ (build it: python3 dev.py package linux)"
[ -n "$tarball" ] && [ -f "$tarball" ] || die "no tarball given or found in dist/ (build it: python3 dev.py package linux)"
command -v python3 >/dev/null || die "python3 is needed to read the JSON the app prints"

work=$(mktemp -d "${TMPDIR:-/tmp}/call-launcher-smoke.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A private, empty world for the app: no real config, data, keyring or display.
mkdir -m 700 "$work/home" "$work/home/run"
export HOME="$work/home" XDG_RUNTIME_DIR="$work/home/run" XDG_CONFIG_HOME="$work/home/config"
export XDG_DATA_HOME="$work/home/data" XDG_CACHE_HOME="$work/home/cache"
export QT_QPA_PLATFORM=offscreen
export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus"
unset DISPLAY WAYLAND_DISPLAY PYTHON_KEYRING_BACKEND

version=$(dpkg-deb -f "$deb" Version)
package=$(dpkg-deb -f "$deb" Package)
echo "== $deb ($package $version, $(du -h "$deb" | cut -f1)) and $tarball ($(du -h "$tarball" | cut -f1))"

# --- what the .deb holds ------------------------------------------------------------------------
echo "== .deb contents"
[ "$package" = "call-launcher" ] || fail "Package is '$package', expected call-launcher"
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] && ok "Depends: $depends" || fail "the .deb has no Depends"
listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
expected=(./opt/call-launcher/call-launcher ./usr/bin/call-launcher ./usr/share/applications/call-launcher.desktop
          ./usr/share/metainfo/io.github.call_launcher.metainfo.xml ./usr/share/icons/hicolor/scalable/apps/call-launcher.svg
          ./usr/share/doc/call-launcher/copyright ./opt/call-launcher/THIRD-PARTY-NOTICES.txt
          ./opt/call-launcher/_internal/resources/icons/call-launcher-256.png ./opt/call-launcher/_internal/resources/icons/call-launcher.svg)
for size in 16 24 32 48 64 128 256 512; do expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/call-launcher.png"); done
for path in "${expected[@]}"; do
  grep -qxF "$path" <<<"$listing" || fail "the .deb lacks $path"
done
control=$(dpkg-deb -I "$deb")
for script in postinst postrm; do grep -q " $script" <<<"$control" || fail "the .deb has no $script"; done
ok "${#expected[@]} expected paths, postinst, postrm"

check_desktop_files() {  # $1: folder holding applications/ and metainfo/ (a share dir)
  local desktop="$1/applications/call-launcher.desktop" metainfo="$1/metainfo/io.github.call_launcher.metainfo.xml"
  for scheme in tel callto sip; do
    grep -q "^MimeType=.*x-scheme-handler/$scheme;" "$desktop" || fail "$desktop does not register x-scheme-handler/$scheme"
  done
  grep -q '^Exec=.*call-launcher.* %u$' "$desktop" || fail "$desktop: Exec does not pass the link (%u)"
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" && ok "desktop-file-validate" || fail "desktop-file-validate $desktop"
  else
    skip "desktop-file-validate (apt install desktop-file-utils)"
  fi
  if [ -f "$metainfo" ]; then
    if command -v appstreamcli >/dev/null; then
      appstreamcli validate --no-net "$metainfo" >"$work/appstream.log" 2>&1 && ok "appstreamcli validate" \
        || { cat "$work/appstream.log"; fail "appstreamcli validate $metainfo"; }
    else
      skip "appstreamcli validate (apt install appstream)"
    fi
  fi
}

check_libraries() {  # $1: the app folder; every library its binaries link must resolve
  local folder=$1 missing
  missing=$(cd "$folder" && find . -type f \( -name '*.so*' -o -name call-launcher \) -exec sh -c \
      'for f; do head -c4 "$f" | grep -q ELF && LD_LIBRARY_PATH=_internal:_internal/PySide6/Qt/lib ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"; done' sh {} + \
      | sort -u || true)
  if [ -n "$missing" ]; then
    fail "libraries not found on this machine (missing from Depends, or not installed):"$'\n'"$missing"
  else
    ok "every library the bundle links is present"
  fi
}

run_checks() {  # $1: label, $2: the call-launcher to run
  local label=$1 bin=$2 out code
  echo "== $label: $bin"
  export CALL_LAUNCHER_HOME
  CALL_LAUNCHER_HOME=$(mktemp -d "$work/home.XXXXXX")

  out=$("$bin" --version 2>&1) && [ "$out" = "call-launcher $version" ] && ok "--version: $out" \
    || fail "$label: --version printed '$out', expected 'call-launcher $version'"

  if out=$("$bin" providers --json 2>"$work/err"); then
    count=$(python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d), " ".join(p["id"] for p in d))' <<<"$out") \
      || count="unreadable JSON"
    [ "${count%% *}" = "4" ] && ok "providers --json: $count" \
      || fail "$label: providers --json found '$count', expected 4 providers (twilio bandwidth catapult jambonz): provider modules missing from the build?"
  else
    fail "$label: providers --json failed: $(cat "$work/err")"
  fi

  set +e
  out=$(timeout 120 "$bin" --self-test 2>&1); code=$?
  set -e
  if [ $code -eq 0 ]; then ok "--self-test: $out"; else fail "$label: --self-test exited $code: $out"; fi

  sandbox_and_keyring "$label" "$bin"
  window "$label" "$bin"
}

start_keyring() {  # a private session bus with an unlocked GNOME Keyring; 1 when not available
  command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null || return 1
  local address
  dbus-daemon --session --fork --print-address=1 --print-pid=1 >"$work/bus" 2>/dev/null || return 1
  address=$(sed -n 1p "$work/bus"); pids+=("$(sed -n 2p "$work/bus")")
  export DBUS_SESSION_BUS_ADDRESS=$address
  printf 'throwaway-smoke-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize >"$work/gkd" 2>&1 || return 1
  local pid; pid=$(sed -n 's/^GNOME_KEYRING_PID=//p' "$work/gkd"); [ -n "$pid" ] && pids+=("$pid")
  return 0
}

sandbox_and_keyring() {
  local label=$1 bin=$2 url port secret_flag=() keyring=0
  "$bin" sandbox --port 0 >"$work/sandbox.out" 2>&1 &
  local sandbox_pid=$!
  pids+=("$sandbox_pid")
  for _ in $(seq 100); do
    url=$(sed -n 's/^Call Launcher sandbox on \(http:[^ ]*\).*/\1/p' "$work/sandbox.out")
    [ -n "$url" ] && break
    kill -0 "$sandbox_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    fail "$label: call-launcher sandbox did not start: $(cat "$work/sandbox.out")"
    return
  fi
  simulators=$(grep -c '^  base URL' "$work/sandbox.out" || true)
  [ "$simulators" = "4" ] && ok "sandbox serving on $url with 4 simulators" \
    || fail "$label: the sandbox lists $simulators simulators, expected 4"

  if start_keyring; then
    keyring=1
  elif [ "${CALL_LAUNCHER_REQUIRE_KEYRING:-}" = "1" ]; then
    fail "$label: no private Secret Service for the keyring check (apt install dbus gnome-keyring)"
  else
    skip "keyring (apt install dbus gnome-keyring); the call below passes its secret on stdin"
    secret_flag=(--secret-stdin)
  fi
  if [ $keyring = 1 ]; then
    out=$(printf 'sandbox-twilio-auth-token' | "$bin" profiles add smoke --provider twilio \
          --set account_id=ACc0ffee00c0ffee00c0ffee00c0ffee00 --set "base_url=$url" --secret-stdin 2>&1) \
      && grep -q "SecretService" <<<"$out" && ok "profile secret saved: $out" \
      || fail "$label: saving a secret in the Secret Service failed (keyring backend not bundled?): $out"
  else
    "$bin" profiles add smoke --provider twilio --set account_id=ACc0ffee00c0ffee00c0ffee00c0ffee00 \
      --set "base_url=$url" >/dev/null 2>&1 || true
  fi
  set +e
  out=$(printf 'sandbox-twilio-auth-token' | timeout 60 "$bin" call --profile smoke --set To=+15555551313 \
        --set From=+15005550006 --set Url=https://example.com/twiml --json "${secret_flag[@]}" 2>&1)
  code=$?
  set -e
  call_id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["call_id"])' <<<"$out" 2>/dev/null || true)
  if [ $code -eq 0 ] && [ -n "$call_id" ]; then
    ok "call $call_id created through the loopback sandbox$([ $keyring = 1 ] && echo ' with the secret read back from the keyring')"
  else
    fail "$label: call through the sandbox exited $code: $out"
  fi
  "$bin" profiles remove smoke >/dev/null 2>&1 || true
  kill "$sandbox_pid" 2>/dev/null || true
  wait "$sandbox_pid" 2>/dev/null || true
}

window() {  # the window on a virtual X display: still running after a few seconds = it started
  local label=$1 bin=$2 display code
  if ! command -v Xvfb >/dev/null; then
    if [ "${CALL_LAUNCHER_REQUIRE_XVFB:-}" = "1" ]; then fail "$label: Xvfb is not installed (apt install xvfb)"
    else skip "window on X11 (apt install xvfb)"; fi
    return
  fi
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
  local xvfb_pid=$!
  pids+=("$xvfb_pid")
  for _ in $(seq 50); do display=$(cat "$work/display"); [ -n "$display" ] && break; sleep 0.1; done
  set +e
  DISPLAY=":$display" QT_QPA_PLATFORM=xcb timeout 8 "$bin" >"$work/window.log" 2>&1
  code=$?
  set -e
  kill "$xvfb_pid" 2>/dev/null || true
  if [ $code -eq 124 ]; then
    ok "the window started on X11 (xcb) and kept running"
  else
    fail "$label: the window exited $code on X11 instead of running: $(tail -5 "$work/window.log")"
  fi
}

# --- the .deb ---------------------------------------------------------------------------------
if [ $use_apt = 1 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  dpkg-query -W -f='${Status}' call-launcher 2>/dev/null | grep -q "install ok installed" \
    && die "call-launcher is already installed here; remove it first (apt-get remove call-launcher)"
  echo "== apt-get install $deb"
  case "$deb" in /*) deb_path=$deb ;; *) deb_path=./$deb ;; esac
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb_path" >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; die "apt-get install $deb failed"; }
  ok "installed"
  dpkg -L call-launcher >"$work/files"
  command -v call-launcher >/dev/null || fail "call-launcher is not on PATH after installing"
  check_desktop_files /usr/share
  if [ -f /usr/share/applications/mimeinfo.cache ]; then
    grep -q "x-scheme-handler/tel=.*call-launcher.desktop" /usr/share/applications/mimeinfo.cache \
      && ok "postinst registered the tel: handler (mimeinfo.cache)" || fail "mimeinfo.cache does not list call-launcher for tel:"
  fi
  check_libraries /opt/call-launcher
  run_checks "installed .deb" /usr/bin/call-launcher
  echo "== apt-get remove call-launcher"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq call-launcher >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; die "apt-get remove failed"; }
  # Every file and link must be gone, and every folder of its own (shared ones like /usr/bin stay).
  left=$(while read -r path; do
           if [ -d "$path" ] && [ ! -L "$path" ]; then
             case "$path" in *call-launcher*|*call_launcher*) echo "$path" ;; esac
           elif [ -e "$path" ] || [ -L "$path" ]; then
             echo "$path"
           fi
         done <"$work/files")
  [ -z "$left" ] && ok "removed: none of its $(wc -l <"$work/files") paths is left" \
    || fail "left after apt-get remove: $(xargs <<<"$left")"
  if [ -f /usr/share/applications/mimeinfo.cache ]; then
    grep -q "call-launcher.desktop" /usr/share/applications/mimeinfo.cache \
      && fail "mimeinfo.cache still names call-launcher.desktop after removal" || ok "postrm refreshed mimeinfo.cache"
  fi
  # dpkg keeps a removed package that has a postrm as "config-files" (rc) until it is purged.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq call-launcher >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; die "apt-get purge failed"; }
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' call-launcher 2>/dev/null || true)
  [ -z "$(xargs <<<"$status")" ] || [ "$(xargs <<<"$status")" = "un" ] && ok "purged: dpkg has no record left" \
    || fail "dpkg still lists call-launcher after purge ($status)"
else
  echo "== dpkg -x $deb (a temporary root; --apt installs it for real)"
  root="$work/root"
  dpkg-deb -x "$deb" "$root"
  [ "$(readlink "$root/usr/bin/call-launcher")" = "../../opt/call-launcher/call-launcher" ] \
    && ok "/usr/bin/call-launcher -> /opt/call-launcher/call-launcher" || fail "/usr/bin/call-launcher is not the expected link"
  missing_deps=()
  IFS=',' read -ra deps <<<"$depends"
  for dep in "${deps[@]}"; do
    satisfied=0
    IFS='|' read -ra alternatives <<<"$dep"
    for alternative in "${alternatives[@]}"; do
      name=$(awk '{print $1}' <<<"$alternative")
      dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && satisfied=1
    done
    [ $satisfied = 1 ] || missing_deps+=("$(xargs <<<"$dep")")
  done
  [ ${#missing_deps[@]} = 0 ] && ok "every Depends is installed here" \
    || fail "Depends not installed here (apt-get install would pull them): ${missing_deps[*]}"
  check_desktop_files "$root/usr/share"
  check_libraries "$root/opt/call-launcher"
  run_checks "unpacked .deb" "$root/usr/bin/call-launcher"
fi

# --- the tarball ------------------------------------------------------------------------------
echo "== tar -xzf $tarball"
mkdir "$work/tarball"
tar -xzf "$tarball" -C "$work/tarball"
top=$(find "$work/tarball" -mindepth 1 -maxdepth 1 -type d | head -1)
for path in call-launcher INSTALL.md install-desktop-entry.sh THIRD-PARTY-NOTICES.txt share/applications/call-launcher.desktop \
            share/metainfo/io.github.call_launcher.metainfo.xml share/icons/hicolor/256x256/apps/call-launcher.png \
            share/icons/hicolor/scalable/apps/call-launcher.svg; do
  [ -e "$top/$path" ] || fail "the tarball lacks $(basename "$top")/$path"
done
ok "binary, INSTALL.md, install-desktop-entry.sh, .desktop, metainfo, icons"
check_desktop_files "$top/share"
check_libraries "$top"
(export XDG_DATA_HOME="$work/home/xdg"; "$top/install-desktop-entry.sh" >/dev/null \
  && grep -q "^Exec=\"$top/call-launcher\" %u$" "$work/home/xdg/applications/call-launcher.desktop" \
  && [ -f "$work/home/xdg/icons/hicolor/48x48/apps/call-launcher.png" ] \
  && "$top/install-desktop-entry.sh" --remove >/dev/null && [ ! -e "$work/home/xdg/applications/call-launcher.desktop" ]) \
  && ok "install-desktop-entry.sh adds and removes the menu entry" || fail "install-desktop-entry.sh did not work"
run_checks "tarball" "$top/call-launcher"

echo "== smoke test took $((SECONDS - started)) s"
if [ $failures -gt 0 ]; then
  echo "SMOKE TEST FAILED: $failures check(s) failed (see SMOKE FAIL lines above)" >&2
else
  echo "SMOKE TEST PASSED"
fi
echo "smoke: $passes passed, $failures failed"
[ $failures -eq 0 ]
