#!/usr/bin/env bash
# CPython test modules under alert mode (issue 19): bench/cpython.py, run by
# bench/run.sh after the main table. CPYTHON_MODULES picks the modules.
set -eu
cd "$(dirname "$0")/.."
exec /usr/bin/python3 bench/cpython.py
