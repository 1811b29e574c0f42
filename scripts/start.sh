#!/usr/bin/env bash
# Sets up the checkout, builds the workbench and serves it in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NEXT_TELEMETRY_DISABLED=1

./scripts/setup.sh

# Validates the whole environment (.env included) before the slow build, and reads the port.
port=$(node --import tsx --input-type=module -e '
  const { env } = await import("./server/env.ts");
  try {
    console.log(env().web.port);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }')

# --- Database ------------------------------------------------------------------------------
# Placeholder for the data-layer issue: when DATABASE_URL is unset, start the embedded PostgreSQL
# here, export DATABASE_URL for the build and the server, and stop it when the server exits.

echo "==> building"
npm run build

echo "==> SGG Workbench: http://localhost:${port}"
exec node node_modules/next/dist/bin/next start -p "$port"
