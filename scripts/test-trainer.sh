#!/usr/bin/env bash
# Runs the Python trainer's unit and smoke tests (workers/trainer/tests) with Debian's /usr/bin/python3,
# the interpreter that sees python3-torch. Prints one summary line "N passed, N failed" and exits
# non-zero on any failure, including a missing torch (the setup installs python3-torch).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${TRAINER_PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import torch, numpy, onnx' 2>/dev/null; then
  echo "trainer tests need torch, numpy and onnx for $PY (apt-get install python3-torch python3-numpy python3-onnx)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
exec "$PY" workers/trainer/run_tests.py
