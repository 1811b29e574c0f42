/**
 * A worker: claims jobs of every name from the Postgres queue (pg-boss) and runs them with the
 * handlers of workers/registry.ts. Any number of workers, in any number of processes and machines,
 * can serve one database; each claim is exclusive and kept alive by heartbeats.
 *
 * Timing (see workers/README.md): a running job's pg-boss heartbeat is refreshed every
 * `heartbeatRefreshSeconds`; a worker that dies stops refreshing, and the heartbeat monitor (run by
 * every worker, once per `maintenanceIntervalSeconds` across all of them) retries the job once its
 * heartbeat is `heartbeatSeconds` old (job-payloads.ts), after the retry delay.
 */
import { hostname } from "node:os";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { getPrisma, type PrismaClient } from "../../server/db/client";
import { JOB_NAMES, type JobName } from "../../server/jobs/job-payloads";
import { startQueue, type QueueOptions } from "../../server/jobs/queue";
import { sweepStaleJobs, type SweepResult } from "../../server/jobs/sweep-stale-jobs";
import { resolveHandlers, type JobHandlers } from "../registry";
import { runJob, WorkerStoppingError } from "./run-job";

export interface WorkerOptions {
  readonly databaseUrl: string;
  /** Jobs of each name this process runs at once (pg-boss localConcurrency per queue). */
  readonly concurrency: number;
  /** Replaces handlers of the registry (tests register their own). */
  readonly handlers?: Partial<JobHandlers>;
  /** Job names to serve; default all. */
  readonly jobNames?: readonly JobName[];
  /** Seconds between polls of an idle queue (default 1). */
  readonly pollingIntervalSeconds?: number;
  /** Seconds between pg-boss heartbeats of a running job (default 5; must stay below heartbeatSeconds). */
  readonly heartbeatRefreshSeconds?: number;
  /** Milliseconds between Job row heartbeats, which also look for cancel requests (default 5000). */
  readonly rowHeartbeatMs?: number;
  /** Seconds between maintenance passes, including the dead-worker monitor (default 10). */
  readonly maintenanceIntervalSeconds?: number;
  /** Milliseconds between stale-lock sweeps of Job rows (default 60000; 0 turns them off). */
  readonly sweepIntervalMs?: number;
  /** Queue settings replacing job-payloads.ts on this database (tests shorten heartbeats and delays). */
  readonly queueSettings?: QueueOptions["queueSettings"];
  readonly log?: (line: string) => void;
}

export interface WorkerHandle {
  readonly boss: PgBoss;
  readonly prisma: PrismaClient;
  /** Runs the stale-lock sweep now. */
  sweep(): Promise<SweepResult>;
  /**
   * Stops claiming, aborts running handlers (their attempts go back to the queue for a retry), waits
   * up to `timeoutMs` for them to return, then closes the queue connection. Safe to call twice.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

const defaultLog = (line: string) => console.log(line);

/** Starts a worker on `databaseUrl`; resolves once it is claiming jobs. */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const log = options.log ?? defaultLog;
  const names = options.jobNames ?? JOB_NAMES;
  const handlers = resolveHandlers(options.handlers);
  const prisma = getPrisma(options.databaseUrl);
  const boss = await startQueue(options.databaseUrl, {
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
    maxConnections: Math.min(20, 4 + options.concurrency * names.length),
    queueSettings: options.queueSettings,
  });
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const deps = {
    prisma,
    boss,
    databaseUrl: options.databaseUrl,
    handlers,
    stopping: stopping.signal,
    rowHeartbeatMs: options.rowHeartbeatMs ?? 5000,
    log,
  };

  for (const name of names) {
    await boss.work(
      name,
      {
        batchSize: 1,
        includeMetadata: true,
        perJobResults: true,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
        heartbeatRefreshSeconds: options.heartbeatRefreshSeconds ?? 5,
      },
      async (jobs: JobWithMetadata<unknown>[]) => {
        const attempt = Promise.all(jobs.map((job) => runJob(name, job, deps)));
        running.add(attempt);
        try {
          return await attempt;
        } finally {
          running.delete(attempt);
        }
      },
    );
  }

  const sweep = () => sweepStaleJobs(prisma);
  const sweepEvery = options.sweepIntervalMs ?? 60_000;
  const sweeper = sweepEvery > 0
    ? setInterval(() => {
        sweep().then(
          (r) => r.changed.forEach((c) => log(`[sweep] job ${c.id}: ${c.from} -> ${c.to} (${c.reason})`)),
          (error: unknown) => log(`[sweep] failed: ${(error as Error).message}`),
        );
      }, sweepEvery)
    : undefined;
  sweeper?.unref();

  let stopped: Promise<void> | undefined;
  const stop = ({ timeoutMs = 30_000 } = {}) =>
    (stopped ??= (async () => {
      clearInterval(sweeper);
      await Promise.all(names.map((name) => boss.offWork(name, { wait: false })));
      if (running.size) log(`stopping: aborting ${running.size} running job(s)`);
      stopping.abort(new WorkerStoppingError());
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      // A handler that ignored its signal past the deadline: pg-boss fails its attempt (a retry) on stop.
      await boss.stop({ graceful: true, timeout: 5000 });
    })());

  log(`worker on ${hostname()} pid ${process.pid}: serving ${names.join(", ")} with ${options.concurrency} at a time each`);
  return { boss, prisma, sweep, stop };
}
