/**
 * The Postgres job queue (pg-boss; its tables live in the `pgboss` schema next to the workbench's).
 * One PgBoss instance per database URL per process, started on first use; queues are created for
 * every job name with the options of job-payloads.ts.
 */
import { PgBoss } from "pg-boss";
import { resolveDatabaseUrl } from "../db/database-url";
import { JOB_NAMES, jobQueueOptions, type JobName, type JobQueueSettings } from "./job-payloads";

const registry = globalThis as typeof globalThis & { __sggBoss?: Map<string, Promise<PgBoss>> };
const instances = (registry.__sggBoss ??= new Map<string, Promise<PgBoss>>());

export interface QueueOptions {
  /** Run pg-boss's maintenance (expiry, heartbeat monitor, retention). Workers do; the web side needn't. */
  supervise?: boolean;
  /**
   * Seconds between maintenance passes (pg-boss superviseIntervalSeconds and monitorIntervalSeconds;
   * default 60). The heartbeat monitor runs in these passes, so this bounds how late a dead worker's
   * job is noticed.
   */
  maintenanceIntervalSeconds?: number;
  /** Connection pool size (default 4). */
  maxConnections?: number;
  /**
   * Replaces settings of job-payloads.ts for this database (tests shorten heartbeats and delays).
   * Applied to the queue itself, so every later job on that database gets them.
   */
  queueSettings?: Partial<Record<JobName, Partial<JobQueueSettings>>>;
}

async function startBoss(url: string, options: QueueOptions): Promise<PgBoss> {
  const interval = options.maintenanceIntervalSeconds;
  const boss = new PgBoss({
    connectionString: url,
    schema: "pgboss",
    supervise: options.supervise ?? false,
    schedule: false,
    max: options.maxConnections ?? 4,
    ...(interval ? { superviseIntervalSeconds: interval, monitorIntervalSeconds: interval } : {}),
  });
  boss.on("error", (error: unknown) => console.error("queue:", error instanceof Error ? error.message : error));
  await boss.start();
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const name of JOB_NAMES) {
    const { retryLimit, retryDelay, retryBackoff, heartbeatSeconds, expireInSeconds } = { ...jobQueueOptions[name], ...options.queueSettings?.[name] };
    const settings = { retryLimit, retryDelay, retryBackoff, heartbeatSeconds, expireInSeconds };
    if (existing.has(name)) await boss.updateQueue(name, settings);
    else await boss.createQueue(name, settings);
  }
  return boss;
}

/**
 * A started queue instance of its own, outside the per-process cache: a worker owns one (supervising,
 * with its maintenance settings) and stops it itself.
 */
export function startQueue(url: string, options: QueueOptions = {}): Promise<PgBoss> {
  return startBoss(url, options);
}

/** The started queue for `url` (default: the workbench database). */
export function getQueue(url: string = resolveDatabaseUrl(), options: QueueOptions = {}): Promise<PgBoss> {
  let boss = instances.get(url);
  if (!boss) {
    boss = startBoss(url, options);
    instances.set(url, boss);
    boss.catch(() => instances.delete(url));
  }
  return boss;
}

/** Stops every queue instance of this process (graceful: waits for running handlers up to `timeoutMs`). */
export async function stopQueues(timeoutMs = 10_000): Promise<void> {
  const all = [...instances.values()];
  instances.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.stop({ graceful: true, timeout: timeoutMs })));
}
