#!/usr/bin/env bash
# Runs the Playwright suite against the built app and a fresh, seeded database (dropped afterwards),
# with one job worker on that database for the whole run (its log: test-results/e2e-worker.log).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
vars=$(node --import tsx e2e/prepare-database.ts create)
eval "export $(echo "$vars" | tr '\n' ' ')"

# Scripts and tests that call the API directly authenticate with this token; the browser signs in.
if [[ -z ${SGG_ADMIN_TOKEN:-} ]]; then
  SGG_ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  export SGG_ADMIN_TOKEN
fi

mkdir -p test-results
worker_pid=""
cleanup() {
  # The worker goes first: it must not lose its database while it stops.
  if [[ -n $worker_pid ]]; then
    kill -TERM "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
  node --import tsx e2e/prepare-database.ts drop "$E2E_DATABASE" || true
  rm -rf "$SGG_DATA_DIR"
}
trap cleanup EXIT

node --import tsx workers/main.ts > test-results/e2e-worker.log 2>&1 &
worker_pid=$!
npx playwright test "$@"
