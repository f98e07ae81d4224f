# Shared by install.sh and uninstall.sh: option parsing, paths and the dry-run wrapper.
# Sourced, not executed.

root=""             # --root DIR: act on a staged tree under DIR (packaging, tests); no systemctl
prefix="/usr/local" # --prefix DIR: the binary lives in DIR/bin
dry_run=0           # --dry-run: print what would change, change nothing

say() { printf '%s\n' "$*"; }
fail() { printf '%s: error: %s\n' "$script_name" "$*" >&2; exit 1; }

# Runs a command that changes the system, or only describes it under --dry-run.
run() {
    if [ "$dry_run" = 1 ]; then
        say "  (dry run) $*"
    else
        "$@"
    fi
}

# Parses the options both scripts share; prints anything else back for the caller.
# Usage: parse_common_option "$@" — returns 0 and sets `shift_by` when it consumed options.
parse_common_option() {
    shift_by=1
    case "$1" in
        --root) [ $# -ge 2 ] || fail "--root needs a directory"; root="${2%/}"; shift_by=2 ;;
        --root=*) root="${1#--root=}"; root="${root%/}" ;;
        --prefix) [ $# -ge 2 ] || fail "--prefix needs a directory"; prefix="${2%/}"; shift_by=2 ;;
        --prefix=*) prefix="${1#--prefix=}"; prefix="${prefix%/}" ;;
        -n | --dry-run) dry_run=1 ;;
        *) return 1 ;;
    esac
    return 0
}

# Fills in the paths once options are known.
resolve_paths() {
    case "$prefix" in /*) ;; *) fail "--prefix must be an absolute path, got '$prefix'" ;; esac
    if [ -n "$root" ]; then
        case "$root" in /*) ;; *) root="$(pwd)/$root" ;; esac
    fi
    bin_path="$root$prefix/bin/clarifai-runner"
    unit_dir="$root/etc/systemd/system"
    config_dir="$root/etc/clarifai-runner"
    units=(clarifai-runner.service clarifai-runner@.service)
    backoff_dropin="10-restart-backoff.conf"
}

# True when changes go to the live system and systemd is running as init, so systemctl works.
live_systemd() {
    [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

# Acting on / needs root; staging under --root and dry runs do not.
require_privileges() {
    if [ -z "$root" ] && [ "$dry_run" = 0 ] && [ "$(id -u)" != 0 ]; then
        fail "changing $prefix and /etc needs root: run with sudo, or use --dry-run or --root DIR"
    fi
}
