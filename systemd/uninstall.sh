#!/usr/bin/env bash
# Removes what install.sh installed. Safe to run again.
#
# Running units are stopped and disabled first (a unit file removed under a running service
# leaves it running unsupervised). Your settings and PAT in /etc/clarifai-runner and your own
# drop-ins stay unless you pass --purge.
set -euo pipefail

script_name="uninstall.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

usage() {
    cat <<USAGE
Usage: $script_name [options]

Stops, disables and removes clarifai-runner. Never starts anything.

  --prefix DIR     the binary was installed to DIR/bin (default: /usr/local)
  --root DIR       remove from a staging tree under DIR instead of / (no systemctl calls)
  --purge          also delete /etc/clarifai-runner (settings, PAT), your drop-ins and the
                   model cache in /var/cache
  -n, --dry-run    show what would change, change nothing
  -h, --help       show this help
USAGE
}

purge=0
while [ $# -gt 0 ]; do
    if parse_common_option "$@"; then shift "$shift_by"; continue; fi
    case "$1" in
        --purge) purge=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) fail "unknown option '$1' (see --help)" ;;
    esac
done
resolve_paths
require_privileges

# Removes one file, or says it was already gone.
remove() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        say "removed    $1"
        run rm -f "$1"
    else
        say "absent     $1"
    fi
}

say "Uninstalling clarifai-runner${root:+ from $root}"
[ "$dry_run" = 1 ] && say "(dry run: nothing will be changed)"

if live_systemd; then
    # Loaded units (running or failed instances) and enabled ones that are not loaded.
    mapfile -t active < <(
        {
            systemctl list-units --all --plain --no-legend 'clarifai-runner.service' 'clarifai-runner@*.service' |
                awk '{ print $1 }'
            systemctl list-unit-files --plain --no-legend 'clarifai-runner.service' 'clarifai-runner@*.service' |
                awk '$2 == "enabled" { print $1 }'
        } | sort -u
    )
    for unit in "${active[@]}"; do
        [ "$unit" = "clarifai-runner@.service" ] && continue
        say "stopping   $unit"
        run systemctl disable --now "$unit"
    done
fi
# Enablement symlinks left behind (a staged tree, or instances systemd no longer lists).
shopt -s nullglob
for link in "$unit_dir"/*.wants/clarifai-runner.service "$unit_dir"/*.wants/clarifai-runner@*.service; do
    remove "$link"
done

for unit in "${units[@]}"; do
    remove "$unit_dir/$unit"
    dropin_dir="$unit_dir/$unit.d"
    [ -d "$dropin_dir" ] || continue
    remove "$dropin_dir/$backoff_dropin"
    if [ "$purge" = 1 ]; then
        say "removed    $dropin_dir"
        run rm -rf "$dropin_dir"
    elif [ "$dry_run" = 0 ] && rmdir "$dropin_dir" 2>/dev/null; then
        say "removed    $dropin_dir"
    elif [ -n "$(ls -A "$dropin_dir" 2>/dev/null | grep -v "^$backoff_dropin\$")" ]; then
        say "kept       $dropin_dir (your drop-ins; --purge removes them)"
    fi
done

remove "$bin_path"

if [ "$purge" = 1 ]; then
    for dir in "$config_dir" "$root/var/cache/clarifai-runner" "$root/var/cache/private/clarifai-runner"; do
        if [ -e "$dir" ] || [ -L "$dir" ]; then
            say "removed    $dir"
            run rm -rf "$dir"
        fi
    done
elif [ -d "$config_dir" ]; then
    say "kept       $config_dir (settings and PAT; --purge removes it)"
fi

if live_systemd; then
    say "reloading  systemd unit files"
    run systemctl daemon-reload
    run systemctl reset-failed 'clarifai-runner.service' 'clarifai-runner@*.service' 2>/dev/null || true
fi
say "Done."
