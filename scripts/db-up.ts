/**
 * Runs the embedded PostgreSQL (used when DATABASE_URL is unset) for as long as it is needed.
 *
 *   node --import tsx scripts/db-up.ts                start it (or reuse the running one), apply
 *                                                     migrations, print the URL, run until Ctrl-C/SIGTERM
 *   node --import tsx scripts/db-up.ts -- <cmd> ...   same, then run <cmd> with DATABASE_URL set; when
 *                                                     <cmd> exits, stop the server and exit with its code
 *   node --import tsx scripts/db-up.ts --stop         stop a server left running from the data folder
 *
 * In the second form this process supervises both: SIGINT/SIGTERM/SIGHUP go to <cmd>, and the server
 * is stopped only after <cmd> has exited, so a server that still serves requests never loses its
 * database first. scripts/start.sh uses it that way.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { EnvError, env } from "../server/env";
import {
  embeddedPostgresOptions,
  readRunningServer,
  startEmbeddedPostgres,
  stopEmbeddedPostgresAt,
  type EmbeddedPostgres,
} from "../server/db/embedded-postgres";
import { applyMigrations } from "../server/db/migrate";

const say = (message: string) => console.error(`db: ${message}`);
const SIGNAL_CODES: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** A server whose postmaster was orphaned (parent is init) belongs to nobody: whoever reuses it may stop it. */
function isOrphan(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return ppid === 1;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dash = args.indexOf("--");
  const own = dash === -1 ? args : args.slice(0, dash);
  const command = dash === -1 ? [] : args.slice(dash + 1);
  if (own.some((a) => a !== "--stop") || (own.includes("--stop") && command.length) || (dash !== -1 && !command.length)) {
    say("usage: db-up.ts [--stop | -- <command> [args...]]");
    process.exit(2);
  }

  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      say(error.message);
      process.exit(1);
    }
    throw error;
  }
  const options = embeddedPostgresOptions(config);

  if (own.includes("--stop")) {
    const running = await readRunningServer(options.dataDir);
    if (!running) {
      say(`no embedded PostgreSQL is running from ${options.dataDir}`);
      return;
    }
    await stopEmbeddedPostgresAt(options.dataDir);
    say(`stopped the embedded PostgreSQL (pid ${running.pid}) from ${options.dataDir}`);
    return;
  }

  const started = Date.now();
  const previous = await readRunningServer(options.dataDir);
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres(options);
  } catch (error) {
    say((error as Error).message);
    process.exit(1);
  }
  // Stop what we started, and a leftover from a killed run that we adopted; never a server that
  // another live process (another start.sh, a test run) is using.
  const adopted = !server.owned && previous !== null && isOrphan(previous.pid);
  let stopped: Promise<void> | undefined;
  const stopServer = () =>
    (stopped ??= (async () => {
      if (server.owned) await server.stop();
      else if (adopted) await stopEmbeddedPostgresAt(server.dataDir);
      else return;
      say("embedded PostgreSQL stopped");
    })());

  try {
    const { applied } = await applyMigrations(server.url);
    if (applied.length) say(`applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    say(`migrations failed: ${(error as Error).message}`);
    await stopServer();
    process.exit(1);
  }
  const how = server.owned ? "started" : adopted ? "reused (left running earlier; will stop it)" : "reused (owned by another process; left running)";
  say(`embedded PostgreSQL ${how} on port ${server.port}, data in ${server.dataDir} (${Date.now() - started} ms)`);

  if (!command.length) {
    console.log(server.url);
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      void stopServer().then(() => process.exit(128 + (SIGNAL_CODES[signal] ?? 0)));
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
    void server.exited.then(() => {
      if (stopping) return;
      say("embedded PostgreSQL exited unexpectedly");
      process.exit(1);
    });
    if (!server.owned) setInterval(() => {}, 1 << 30); // nothing else keeps a reused server's watcher alive
    return;
  }

  const child = spawn(command[0]!, command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: server.url },
  });
  let signalled: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => {
    if (signalled) {
      say(`${signal} again: killing ${command[0]}`);
      child.kill("SIGKILL");
      return;
    }
    signalled = signal;
    child.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward);
  void server.exited.then(() => {
    if (signalled || child.exitCode !== null || child.signalCode !== null) return;
    say(`embedded PostgreSQL exited unexpectedly; stopping ${command[0]}`);
    signalled = "SIGTERM";
    child.kill("SIGTERM");
  });
  child.on("error", (error) => {
    say(`could not run ${command[0]}: ${error.message}`);
    void stopServer().then(() => process.exit(127));
  });
  child.on("exit", (code, signal) => {
    void stopServer().then(() => process.exit(code ?? 128 + (SIGNAL_CODES[signal ?? ""] ?? 0)));
  });
}

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
