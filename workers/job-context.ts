/**
 * What a job handler gets besides its payload. Handlers live in workers/tasks/<job>.ts, export one
 * `JobHandler`, and are listed in workers/registry.ts.
 */
import type { PrismaClient } from "../server/db/client";
import type { JobName, JobPayload } from "../server/jobs/job-payloads";

export interface JobContext {
  /** The pg-boss job id, also the workbench Job row id. */
  readonly jobId: string;
  /** 0 on the first attempt; a retry or a pick-up after a dead worker counts up. */
  readonly attempt: number;
  /** Aborted when the job is cancelled, its claim is lost (worker presumed dead) or the worker shuts down. */
  readonly signal: AbortSignal;
  readonly prisma: PrismaClient;
  /** The database URL the worker runs against (for handlers that start helpers, e.g. the reward service). */
  readonly databaseUrl: string;
  /** Records progress on the Job row (job pages show it with an ETA). `total` null: unknown. */
  progress(done: number, total: number | null, message?: string): Promise<void>;
  /** Starts another job (e.g. evaluate after predict) in its own transaction. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string>;
  /** Worker log line, prefixed with the job's name and id. */
  log(message: string): void;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;

/**
 * An error that retrying cannot fix (bad settings, missing files): the job fails at once with this
 * message instead of being retried with backoff.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
