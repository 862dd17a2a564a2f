#!/usr/bin/env sh
# Install the frozen bundle for the current user (no root): the program in
# ~/.local/opt/ictal, a command in ~/.local/bin, a menu entry and the icon.
#   installer/linux/install.sh [dist/ictal]          (uninstall: --remove)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/ictal
bin=$HOME/.local/bin

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$opt" "$bin/ictal" "$data/applications/ictal.desktop" \
        "$data/icons/hicolor/scalable/apps/ictal.svg" "$data/icons/hicolor/256x256/apps/ictal.png"
    echo "Ictal removed."
    exit 0
fi

bundle=${1:-$root/dist/ictal}
[ -x "$bundle/ictal" ] || { echo "no bundle at $bundle: run 'make installer' first" >&2; exit 1; }

mkdir -p "$opt" "$bin" "$data/applications" "$data/icons/hicolor/scalable/apps" \
    "$data/icons/hicolor/256x256/apps"
rm -rf "$opt" && cp -a "$bundle" "$opt"
ln -sf "$opt/ictal" "$bin/ictal"
cp "$root/resources/icons/ictal.svg" "$data/icons/hicolor/scalable/apps/ictal.svg"
cp "$opt/_internal/resources/icons/ictal.png" "$data/icons/hicolor/256x256/apps/ictal.png"
sed "s|^Exec=ictal|Exec=$opt/ictal|; s|^TryExec=ictal|TryExec=$opt/ictal|" \
    "$here/ictal.desktop" > "$data/applications/ictal.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Ictal installed: $opt (command: $bin/ictal)"
