#!/usr/bin/env bash
# Smoke-test the macOS disk image: mount it, check the app's URL schemes and icon, run the app's
# --version, providers --json and --self-test, unmount. Builds nothing.
#   bash packaging/macos/smoke_test.sh [dist/call-launcher-<version>-macos-<arch>.dmg]
set -euo pipefail
cd "$(dirname "$0")/../.."
dmg=${1:-$(ls -t dist/*.dmg 2>/dev/null | head -1 || true)}
[ -n "$dmg" ] && [ -f "$dmg" ] || { echo "SMOKE FAIL: no .dmg in dist/"; exit 1; }
failures=0
fail() { echo "SMOKE FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "  ok: $*"; }
mnt=$(mktemp -d)
home=$(mktemp -d)
trap 'hdiutil detach -quiet "$mnt" 2>/dev/null || true; rm -rf "$home"' EXIT
hdiutil attach -nobrowse -readonly -mountpoint "$mnt" "$dmg" >/dev/null
app="$mnt/Call Launcher.app"
bin="$app/Contents/MacOS/call-launcher"
[ -x "$bin" ] || { echo "SMOKE FAIL: $bin missing"; exit 1; }
[ -L "$mnt/Applications" ] && ok "drag-to-Applications link" || fail "no Applications link in the image"
schemes=$(plutil -extract CFBundleURLTypes.0.CFBundleURLSchemes json -o - "$app/Contents/Info.plist")
for scheme in tel callto sip; do
  grep -q "\"$scheme\"" <<<"$schemes" || fail "Info.plist does not declare the $scheme: URL scheme ($schemes)"
done
ok "URL schemes: $schemes"
icon=$(plutil -extract CFBundleIconFile raw -o - "$app/Contents/Info.plist")
[ -f "$app/Contents/Resources/$icon" ] && ok "icon $icon" || fail "icon $icon missing"
export QT_QPA_PLATFORM=offscreen CALL_LAUNCHER_HOME="$home"
version=$(basename "$dmg" | sed -E 's/call-launcher-(.+)-macos-.*/\1/')
out=$("$bin" --version) && [ "$out" = "call-launcher $version" ] && ok "--version: $out" || fail "--version printed '$out'"
count=$("$bin" providers --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))') || count=0
[ "$count" = 4 ] && ok "providers --json: 4" || fail "providers --json: $count providers, expected 4"
out=$("$bin" --self-test 2>&1) && ok "--self-test: $out" || fail "--self-test: $out"
codesign --verify --deep "$app" 2>/dev/null && ok "code signature valid (ad hoc unless an identity was given)" \
  || echo "  note: codesign --verify failed (unsigned build)"
[ $failures -eq 0 ] || { echo "SMOKE TEST FAILED: $failures check(s)"; exit 1; }
echo "SMOKE TEST PASSED"
