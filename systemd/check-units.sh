#!/usr/bin/env bash
# CI check for the systemd units: `systemd-analyze verify` must pass without a single warning,
# and `systemd-analyze security --offline=yes` must rate each unit at or below the exposure
# target. Prints one line per unit with the figure and the target; exits 1 on any failure.
#
# Works without systemd running as init (containers, CI): install.sh stages the units, a
# stand-in binary and this host's stock units into a temporary root, and systemd-analyze
# reads everything from there with --root. Installs the `systemd` package if
# systemd-analyze is missing.
set -euo pipefail

target="${EXPOSURE_TARGET:-2.0}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
started_ns="$(date +%s%N)"

say() { printf '%s\n' "$*"; }
fail() { printf 'check-units: error: %s\n' "$*" >&2; exit 1; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || fail "systemd-analyze is missing; install your distribution's systemd package"
    say "check-units: systemd-analyze not found; installing the systemd package"
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi
say "check-units: $(systemctl --version 2>/dev/null | head -n 1 || systemd-analyze --version | head -n 1)"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

# The units refer to stock targets (network-online.target, multi-user.target) that verify
# resolves inside --root, so copy this host's unit tree there.
mkdir -p "$root/usr/lib/systemd/system"
for dir in /usr/lib/systemd/system /lib/systemd/system; do
    [ -d "$dir" ] && cp -a "$dir/." "$root/usr/lib/systemd/system/"
done
# verify checks that ExecStart= names an executable; any will do.
printf '#!/bin/sh\nexit 0\n' >"$root/stand-in-binary"
chmod 0755 "$root/stand-in-binary"
"$here/install.sh" --root "$root" --binary "$root/stand-in-binary" >"$root/install.log" 2>&1 ||
    { cat "$root/install.log" >&2; fail "install.sh failed while staging the units"; }

failed=0
printf '%-34s %-8s %-9s %s\n' "unit" "verify" "exposure" "target"
# The template is checked through an example instance, as systemd would load it.
for unit in clarifai-runner.service clarifai-runner@example.service; do
    verify_output="$(systemd-analyze verify --root="$root" --man=no "$unit" 2>&1)" && verify_status=0 || verify_status=$?
    # Unknown keys and similar mistakes are only warnings to systemd; here they fail the check.
    if [ "$verify_status" = 0 ] && [ -z "$verify_output" ]; then verify="ok"; else verify="FAILED"; failed=1; fi

    security_output="$(systemd-analyze security --offline=yes --root="$root" "$unit" 2>&1)" || true
    exposure="$(printf '%s\n' "$security_output" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')"
    if [ -z "$exposure" ]; then
        verdict="FAILED (no figure)"; failed=1
    elif awk -v e="$exposure" -v t="$target" 'BEGIN { exit !(e <= t) }'; then
        verdict="ok"
    else
        verdict="FAILED"; failed=1
    fi
    printf '%-34s %-8s %-9s <= %s %s\n' "$unit" "$verify" "${exposure:-?}" "$target" "$verdict"

    if [ "$verify" != "ok" ]; then
        printf '%s\n' "$verify_output" | sed 's/^/    verify: /'
    fi
    if [ "$verdict" != "ok" ]; then
        # The settings that cost exposure, to show what to tighten.
        printf '%s\n' "$security_output" | grep '✗' | sed 's/  */ /g; s/^/    /' || printf '%s\n' "$security_output" | sed 's/^/    /'
    fi
done

elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
if [ "$failed" = 0 ]; then
    say "check-units: passed in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s"
else
    say "check-units: FAILED in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s"
fi
exit "$failed"
