#!/usr/bin/env bash
# Installs clarifai-runner as a systemd service: the binary, the units, and /etc/clarifai-runner.
#
# Safe to run again (upgrades replace the binary and units; your runner.env, PAT and drop-ins
# are never touched). It never enables or starts a unit: that is left to you.
set -euo pipefail

script_name="install.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

usage() {
    cat <<USAGE
Usage: $script_name [options]

Installs clarifai-runner as a systemd service. Never enables or starts anything.

  --binary PATH        the clarifai-runner executable to install
                       (default: .build/release/clarifai-runner in this checkout)
  --prefix DIR         install the binary to DIR/bin (default: /usr/local)
  --root DIR           install into a staging tree under DIR instead of / (no systemctl calls)
  --restart-backoff yes|no|auto
                       add RestartSteps=/RestartMaxDelaySec= (needs systemd >= 254;
                       default auto: when this host's systemd has them)
  -n, --dry-run        show what would change, change nothing
  -h, --help           show this help

Installs:
  PREFIX/bin/clarifai-runner
  /etc/systemd/system/clarifai-runner.service, clarifai-runner@.service
  /etc/clarifai-runner/            (0755) runner.env.example
  /etc/clarifai-runner/runner.env  (0600, only if it does not exist yet)
USAGE
}

binary=""
backoff="auto"
while [ $# -gt 0 ]; do
    if parse_common_option "$@"; then shift "$shift_by"; continue; fi
    case "$1" in
        --binary) [ $# -ge 2 ] || fail "--binary needs a path"; binary="$2"; shift 2 ;;
        --binary=*) binary="${1#--binary=}"; shift ;;
        --restart-backoff) [ $# -ge 2 ] || fail "--restart-backoff needs yes, no or auto"; backoff="$2"; shift 2 ;;
        --restart-backoff=*) backoff="${1#--restart-backoff=}"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) fail "unknown option '$1' (see --help)" ;;
    esac
done
resolve_paths
require_privileges

if [ -z "$binary" ]; then
    binary="$here/../.build/release/clarifai-runner"
    [ -e "$binary" ] || fail "no binary at .build/release/clarifai-runner: build it with 'swift build -c release --static-swift-stdlib', or pass --binary PATH"
fi
[ -f "$binary" ] && [ -x "$binary" ] || fail "--binary '$binary' is not an executable file"

case "$backoff" in
    yes) use_backoff=1 ;;
    no) use_backoff=0 ;;
    auto)
        systemd_version="$(systemctl --version 2>/dev/null | awk 'NR == 1 { print $2 }' | tr -cd '0-9')"
        if [ "${systemd_version:-0}" -ge 254 ]; then use_backoff=1; else use_backoff=0; fi
        ;;
    *) fail "--restart-backoff must be yes, no or auto, got '$backoff'" ;;
esac

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# Installs `source` at `dest` with `mode`, reporting whether anything changed.
place() {
    local source="$1" dest="$2" mode="$3"
    if [ -f "$dest" ] && cmp -s "$source" "$dest"; then
        say "unchanged  $dest"
        # Repairs a mode an earlier, interrupted run or a hand edit may have left.
        [ "$(stat -c %a "$dest")" = "${mode#0}" ] || run chmod "$mode" "$dest"
        return
    fi
    if [ -e "$dest" ]; then say "updated    $dest"; else say "installed  $dest"; fi
    run install -D -m "$mode" "$source" "$dest"
}

say "Installing clarifai-runner${root:+ into $root}"
[ "$dry_run" = 1 ] && say "(dry run: nothing will be changed)"

place "$binary" "$bin_path" 0755

for unit in "${units[@]}"; do
    # The units name /usr/local/bin; another --prefix rewrites ExecStart= to match.
    sed "s|^ExecStart=/usr/local/bin/clarifai-runner|ExecStart=$prefix/bin/clarifai-runner|" \
        "$here/$unit" >"$staging/$unit"
    place "$staging/$unit" "$unit_dir/$unit" 0644
    if [ "$use_backoff" = 1 ]; then
        place "$here/restart-backoff.conf" "$unit_dir/$unit.d/$backoff_dropin" 0644
    fi
done
if [ "$use_backoff" = 0 ]; then
    say "skipped    restart backoff drop-in (needs systemd >= 254; --restart-backoff=yes forces it)"
fi

if [ -d "$config_dir" ]; then
    say "exists     $config_dir"
else
    say "created    $config_dir"
    run install -d -m 0755 "$config_dir"
fi
place "$here/runner.env.example" "$config_dir/runner.env.example" 0644

env_file="$config_dir/runner.env"
if [ -e "$env_file" ]; then
    say "kept       $env_file (never overwritten)"
    mode="$(stat -c %a "$env_file")"
    case "$mode" in
        600 | 400) ;;
        *) say "warning: $env_file is mode $mode but may hold the PAT; run: chmod 600 $env_file" ;;
    esac
else
    say "installed  $env_file (from the example; fill it in)"
    run install -m 0600 "$here/runner.env.example" "$env_file"
fi

pat_file="$config_dir/pat"
if [ -e "$pat_file" ]; then
    mode="$(stat -c %a "$pat_file")"
    case "$mode" in
        600 | 400) say "found      $pat_file" ;;
        *) say "warning: $pat_file is mode $mode; run: chmod 600 $pat_file" ;;
    esac
fi

if live_systemd; then
    say "reloading  systemd unit files"
    run systemctl daemon-reload
else
    if [ -n "$root" ]; then reason="staging under --root"; else reason="systemd is not running as init"; fi
    say "skipped    systemctl daemon-reload ($reason)"
fi

cat <<NEXT

Next steps (nothing has been enabled or started):
  1. Store the PAT readable by root only (the unit passes it to the runner as a credential):
       sudo install -m 0600 /dev/stdin /etc/clarifai-runner/pat    # paste the PAT, then Ctrl-D
  2. Fill in /etc/clarifai-runner/runner.env (user, cluster, nodepool, runner id, model).
  3. Check it:   sudo systemd-run --pipe --wait -p LoadCredential=pat:/etc/clarifai-runner/pat \\
                   -p EnvironmentFile=/etc/clarifai-runner/runner.env $prefix/bin/clarifai-runner check
  4. Start it:   sudo systemctl enable --now clarifai-runner
     Several models: /etc/clarifai-runner/NAME.env per model, then
                 sudo systemctl enable --now clarifai-runner@NAME
NEXT
