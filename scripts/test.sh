#!/usr/bin/env bash
# Sets up the checkout and runs every check: lint, typecheck, unit tests, build, e2e in chromium.
# Runs all steps even after a failure (e2e needs a good build), then prints one summary line
# "N passed, N failed[, N skipped]" and exits non-zero if any step failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip

failed_steps=()

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# step NAME COMMAND...: prints a header, runs the command, prints its result and time.
step() {
  local name=$1 started status=0 elapsed
  shift
  printf '\n==> %s: %s\n' "$name" "$*"
  started=$(now_ms)
  "$@" || status=$?
  elapsed=$(($(now_ms) - started))
  if ((status == 0)); then
    printf '<== %s passed in %d.%03d s\n' "$name" $((elapsed / 1000)) $((elapsed % 1000))
  else
    printf '<== %s FAILED (exit %d) in %d.%03d s\n' "$name" "$status" $((elapsed / 1000)) $((elapsed % 1000))
    failed_steps+=("$name")
  fi
  return "$status"
}

finish() {
  printf '\n'
  node scripts/summarize-tests.mjs "${failed_steps[@]}"
  ((${#failed_steps[@]} == 0))
}

# Reports from an earlier run must not be counted again.
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json test-results/trainer.json

# Test databases live on TEST_DATABASE_URL (default: the local PostgreSQL on 127.0.0.1:5432). When
# that server is installed here but stopped, start it; when it is absent or will not start, the unit
# tests fall back to an embedded PostgreSQL by themselves (server/db/test-server.ts).
ensure_local_postgres() {
  [[ -z ${TEST_DATABASE_URL:-} ]] || return 0
  command -v pg_isready >/dev/null 2>&1 || return 0
  pg_isready -q -h 127.0.0.1 -p 5432 && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]] && [[ $(id -u) -eq 0 ]]; then
    local version
    for version in $(ls /etc/postgresql); do
      [[ -d /etc/postgresql/$version/main ]] || continue
      echo "test: starting the local PostgreSQL $version cluster"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    pg_isready -q -h 127.0.0.1 -p 5432 -t 10 && return 0
  fi
  echo "test: no PostgreSQL on 127.0.0.1:5432; database tests use an embedded one"
}

step setup ./scripts/setup.sh || { finish; exit 1; }
ensure_local_postgres
step lint npm run lint || true
step typecheck npm run typecheck || true
step trainer ./scripts/test-trainer.sh || true
step unit npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || true
if step build npm run build; then
  # CI=1: never reuse a server already on the port; test the build just made.
  step e2e env CI=1 PLAYWRIGHT_JSON_OUTPUT_FILE=test-results/playwright.json \
    ./scripts/e2e.sh --reporter=list,json || true
else
  printf '\n==> e2e: not run, the build failed\n'
  failed_steps+=(e2e)
fi

finish
