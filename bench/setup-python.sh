#!/usr/bin/env bash
# A Python venv for bench/report.py at .build-bench/venv, with the pinned matplotlib of
# bench/report/requirements.txt (from PyPI). Idempotent: does nothing when the venv already
# has that matplotlib. Installs Debian's python3-venv first if the venv module is missing
# (needs root). Prints the venv's python on stdout, so:
#
#   PY=$(bench/setup-python.sh) && "$PY" bench/report.py
#
# PYTHON=... picks the interpreter the venv is made from (default: Debian's /usr/bin/python3
# when there is one, else python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.build-bench/venv}   # report.py reruns itself only under this default one
REQ=$PWD/bench/report/requirements.txt
PY=$VENV/bin/python
WANT=$(sed -n 's/^matplotlib==\([^ ]*\).*/\1/p' "$REQ")
log() { echo "setup-python: $*" >&2; }

if [ -z "${PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

have() {  # the venv works and has the pinned matplotlib
    [ -x "$PY" ] && "$PY" -c "import sys, matplotlib; sys.exit(matplotlib.__version__ != '$WANT')" 2>/dev/null
}

if have; then
    log "matplotlib $WANT already in $VENV"
    echo "$PY"
    exit 0
fi

# Debian splits venv/ensurepip into python3-venv; without it `python3 -m venv` fails.
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$(id -u)" != 0 ]; then
        log "$PYTHON has no venv/ensurepip module; install python3-venv (as root) and rerun"; exit 1
    fi
    log "installing python3-venv (Debian)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
fi

# A venv whose python no longer runs (e.g. its interpreter was removed) is made anew.
if [ -e "$VENV" ] && ! "$PY" -c 'import sys' 2>/dev/null; then
    log "removing broken venv $VENV"
    rm -rf "$VENV"
fi
if [ ! -x "$PY" ]; then
    log "creating $VENV from $("$PYTHON" --version 2>&1) ($PYTHON)"
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV" >&2
fi

log "installing matplotlib $WANT and its pinned dependencies ($REQ)"
"$PY" -m pip install --disable-pip-version-check --no-input -q -r "$REQ" >&2
have || { log "matplotlib $WANT does not import in $VENV"; exit 1; }
log "ready: matplotlib $WANT"
echo "$PY"
