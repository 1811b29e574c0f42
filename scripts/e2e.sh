#!/usr/bin/env bash
# Runs the Playwright suite against the built app and a fresh, seeded database (dropped afterwards).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
vars=$(node --import tsx e2e/prepare-database.ts create)
eval "export $(echo "$vars" | tr '\n' ' ')"
trap 'node --import tsx e2e/prepare-database.ts drop "$E2E_DATABASE" || true; rm -rf "$SGG_DATA_DIR"' EXIT
npx playwright test "$@"
