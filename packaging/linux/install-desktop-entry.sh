#!/bin/sh
# Add this portable Call Launcher to the current user's menu, with its icons, as a handler of
# tel:, callto: and sip: links.  --default also makes it the default handler; --remove undoes all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor"
desktop="$apps/call-launcher.desktop"
schemes="x-scheme-handler/tel x-scheme-handler/callto x-scheme-handler/sip"

refresh() {
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps" || true; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
        gtk-update-icon-cache -q -f "$icons" || true
    fi
}

case "${1:-}" in
    --remove)
        rm -f "$desktop"
        for dir in "$here"/share/icons/hicolor/*/apps; do
            size=$(basename "$(dirname "$dir")")
            rm -f "$icons/$size/apps/call-launcher.png" "$icons/$size/apps/call-launcher.svg"
        done
        refresh
        echo "Removed the Call Launcher menu entry and icons for $(id -un)."
        exit 0
        ;;
    ""|--default) ;;
    *) echo "usage: $0 [--default | --remove]" >&2; exit 2 ;;
esac

[ -x "$here/call-launcher" ] || { echo "$0: $here/call-launcher not found" >&2; exit 1; }
mkdir -p "$apps"
# Quote the path for the Exec key (desktop entry spec: \ " ` $ escaped inside quotes, then \ doubled
# once more as a string value); the rest of the entry is the packaged one.
exec_path=$(printf '%s' "$here/call-launcher" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')
while IFS= read -r line; do
    case "$line" in
        Exec=*) printf 'Exec="%s" %%u\n' "$exec_path" ;;
        TryExec=*) printf 'TryExec=%s\n' "$here/call-launcher" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$here/share/applications/call-launcher.desktop" > "$desktop.tmp"
mv "$desktop.tmp" "$desktop"
(cd "$here/share/icons/hicolor" && find . -name 'call-launcher.*' | while read -r icon; do
    mkdir -p "$icons/$(dirname "$icon")"
    cp "$icon" "$icons/$icon"
done)
refresh
if [ "${1:-}" = "--default" ]; then
    if command -v xdg-mime >/dev/null 2>&1; then
        for scheme in $schemes; do xdg-mime default call-launcher.desktop "$scheme"; done
        echo "Call Launcher now opens tel:, callto: and sip: links."
    else
        echo "xdg-mime is not installed (apt install xdg-utils): choose Call Launcher in your desktop's default apps." >&2
    fi
fi
echo "Added Call Launcher to the menu for $(id -un) ($desktop)."
