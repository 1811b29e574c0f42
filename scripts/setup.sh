#!/usr/bin/env bash
# Prepares this checkout to build, run and test the workbench. Safe to run again: every step
# checks first and only acts when something is missing or out of date.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# onnxruntime-node's install script would download GPU libraries from outside the npm registry;
# Playwright drives Debian's chromium instead of a downloaded browser.
export ONNXRUNTIME_NODE_INSTALL=skip PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1

# Debian packages the workbench needs: chromium runs the e2e suite; torch, numpy, onnx and PIL serve the
# trainer (only /usr/bin/python3 sees them). Debian's torch calls whatever libblas.so.3 the alternatives
# system points at, which is the reference BLAS unless an optimised one is installed: OpenBLAS makes the
# trainer's matrix products about 20 times faster on CPU (3 → 57 GFLOP/s measured on 2 cores).
DEBIAN_PACKAGES=(chromium python3-torch python3-numpy python3-onnx python3-pil libopenblas0-pthread)
# Matches "engines" in package.json.
MIN_NODE=20.18

say() { printf 'setup: %s\n' "$*"; }

# --- Node.js -------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
  say "Node.js is not installed; install Node.js ${MIN_NODE} or newer." >&2
  exit 1
fi
if ! node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [needMajor, needMinor] = process.argv[1].split(".").map(Number);
  process.exit(major > needMajor || (major === needMajor && minor >= needMinor) ? 0 : 1);' "$MIN_NODE"; then
  say "Node.js $(node -v) is too old; ${MIN_NODE} or newer is needed." >&2
  exit 1
fi
say "Node.js $(node -v)"

# --- Debian packages -----------------------------------------------------------------------
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
else
  say "no dpkg here; make sure these are installed yourself: ${DEBIAN_PACKAGES[*]}"
fi
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    say "missing Debian packages: ${missing[*]} (not root, skipped)."
    say "install them with: sudo apt-get install ${missing[*]}"
  fi
else
  say "Debian packages present: ${DEBIAN_PACKAGES[*]}"
fi

# --- npm dependencies ----------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install; older than the lockfile means stale.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  # npm ci refuses a lockfile without entries for other platforms' optional packages (e.g.
  # @next/swc-darwin-arm64), which a registry mirror that lacks them cannot produce. npm install
  # with the same lockfile installs the same versions; --no-save leaves the lockfile untouched.
  if ! npm ci; then
    say "npm ci failed; installing from the same lockfile with npm install --no-save"
    npm install --no-save
  fi
else
  say "npm dependencies up to date"
fi

# --- Database ------------------------------------------------------------------------------
# The Prisma client (server/db/generated, not committed) is generated from prisma/schema.prisma;
# redo it when the schema or the installed packages are newer than it. prisma.config.ts keeps the
# CLI offline. Migrations are applied when the workbench starts (scripts/start.sh).
client=server/db/generated/client.ts
if [[ ! -f $client || prisma/schema.prisma -nt $client || node_modules/.package-lock.json -nt $client ]]; then
  say "generating the Prisma client (server/db/generated)"
  CHECKPOINT_DISABLE=1 node_modules/.bin/prisma generate
  touch "$client"
else
  say "Prisma client up to date"
fi

say "done"
