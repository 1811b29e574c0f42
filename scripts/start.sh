#!/usr/bin/env bash
# Sets up the checkout, builds the workbench and serves it in the foreground (Ctrl-C stops it).
#
# Database: with DATABASE_URL set (shell or .env), migrations are applied to it. Without, an embedded
# PostgreSQL is started (data in $SGG_DATA_DIR/postgres) and stays up exactly as long as this script:
# scripts/db-up.ts starts it, applies migrations, runs the rest of this script (the --with-database
# phase below) with DATABASE_URL exported, and stops it after the server exits.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NEXT_TELEMETRY_DISABLED=1

if [[ ${1:-} != --with-database ]]; then
  ./scripts/setup.sh

  # Validates the whole environment (.env included) before the slow build, and reads the port and
  # whether a database URL is configured.
  read -r port database < <(node --import tsx --input-type=module -e '
    const { env } = await import("./server/env.ts");
    try {
      const config = env();
      console.log(config.web.port, config.database.url ? "external" : "embedded");
    } catch (error) {
      console.error(error.message);
      console.log("invalid");
    }') || true
  [[ ${port:-invalid} != invalid && -n ${database:-} ]] || exit 1

  # --- Database ----------------------------------------------------------------------------
  if [[ $database == embedded ]]; then
    echo "==> database: embedded PostgreSQL (DATABASE_URL is unset)"
    # db-up.ts supervises the second phase: signals go to it, PostgreSQL stops after it exits.
    exec node --import tsx scripts/db-up.ts -- scripts/start.sh --with-database "$port"
  fi
  echo "==> database: applying migrations (DATABASE_URL)"
  node --import tsx scripts/db-migrate.ts deploy
else
  port=$2 # second phase, run by scripts/db-up.ts with DATABASE_URL set
fi

# --- Demo data and the first account ---------------------------------------------------------
# seed-demo is idempotent. Browsing needs no account (SGG_PUBLIC_READ), but starting jobs does: on a
# database without users, bootstrap creates "admin" with a random password, prints it once and keeps
# it in $SGG_DATA_DIR/admin-password.txt (mode 0600).
echo "==> seeding demo data"
./bin/sgg seed-demo
./bin/sgg user bootstrap

echo "==> building"
npm run build

# --- Web app and one worker ----------------------------------------------------------------
# Both run on the database of this phase; their output is prefixed so the two logs stay apart. The
# worker runs queued jobs (predict, train, evaluate); more can join from other machines with
# `./bin/sgg worker` and the same DATABASE_URL. It is stopped (gracefully: running jobs go back to
# the queue) when the web app exits, and a signal to this script stops both.
prefix() { sed -u "s/^/$1 | /"; }
node --import tsx workers/main.ts > >(prefix worker) 2>&1 &
worker_pid=$!
node node_modules/next/dist/bin/next start -p "$port" > >(prefix "web   ") 2>&1 &
web_pid=$!
echo "==> SGG Workbench: http://localhost:${port} (web pid ${web_pid}, worker pid ${worker_pid})"

trap 'kill -TERM "$web_pid" 2>/dev/null || true' INT TERM HUP
status=0
wait "$web_pid" || status=$?
# `wait` returns early when a trapped signal arrives; keep waiting until the web app has exited.
while kill -0 "$web_pid" 2>/dev/null; do
  status=0
  wait "$web_pid" || status=$?
done
kill -TERM "$worker_pid" 2>/dev/null || true
wait "$worker_pid" 2>/dev/null || true
exit "$status"
