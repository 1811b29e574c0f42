/**
 * One attempt of one job, from the claimed pg-boss job to its disposition: the payload is checked
 * against its schema, the Job row marked running, the handler run with its context, and the outcome
 * written to the Job row before pg-boss settles the job with the returned disposition:
 *
 *   completed  handler resolved
 *   deadletter payload invalid, PermanentJobError, cancelled: failed at once, no retry
 *   failed     any other error, a worker shutdown: pg-boss retries with backoff while retries remain
 */
import type { JobResult, JobWithMetadata, PgBoss } from "pg-boss";
import type { PrismaClient } from "../../server/db/generated/client";
import { enqueueJob } from "../../server/jobs/enqueue-job";
import { jobPayloadSchemas, type JobName, type JobPayload } from "../../server/jobs/job-payloads";
import { PermanentJobError, type JobContext, type JobHandler } from "../job-context";
import type { JobHandlers } from "../registry";
import { JobRow } from "./job-row";
import { ProgressWriter } from "./progress-writer";

/** Abort reason when a user asked to cancel the job. */
export class JobCancelledError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = "JobCancelledError";
  }
}

/** Abort reason when the worker process is shutting down. */
export class WorkerStoppingError extends Error {
  constructor() {
    super("the worker stopped while this attempt ran");
    this.name = "WorkerStoppingError";
  }
}

export interface RunJobDeps {
  readonly prisma: PrismaClient;
  readonly boss: PgBoss;
  readonly databaseUrl: string;
  readonly handlers: JobHandlers;
  /** Aborted when the worker shuts down. */
  readonly stopping: AbortSignal;
  /** How often the Job row's heartbeatAt is refreshed and a cancel request looked for, in ms. */
  readonly rowHeartbeatMs: number;
  readonly log: (line: string) => void;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

/** "predictionSetId: expected number, received string; ..." for a payload that fails its schema. */
export function describePayloadIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "(payload)"}: ${i.message}`).join("; ");
}

export async function runJob(name: JobName, job: JobWithMetadata<unknown>, deps: RunJobDeps): Promise<JobResult> {
  const attempts = job.retryCount + 1;
  const maxAttempts = job.retryLimit + 1;
  const row = new JobRow(deps.prisma, job.id, attempts);
  const log = (message: string) => deps.log(`[${name} ${job.id.slice(0, 8)}] ${message}`);
  const result = (status: JobResult["status"], message?: string): JobResult => ({ id: job.id, status, ...(message ? { output: { message } } : {}) });

  const parsed = jobPayloadSchemas[name].safeParse(job.data);
  if (!parsed.success) {
    const message = `invalid ${name} payload: ${describePayloadIssues(parsed.error.issues)}`;
    await row.rejected(message);
    log(message);
    return result("deadletter", message);
  }

  const claim = await row.claim();
  if (claim.kind === "cancel-requested") {
    await deps.boss.cancel(name, { id: job.id, retryCount: job.retryCount });
    await row.cancelled();
    log("cancelled before it started");
    return result("deadletter", "cancelled");
  }
  if (claim.kind === "missing") {
    log("no Job row for this queue job; not running it");
    return result("deadletter", "no Job row for this queue job");
  }
  if (claim.kind === "finished") {
    log(`the Job row is already ${claim.status}; not running it again`);
    return result("deadletter", `the Job row is already ${claim.status}`);
  }

  log(`attempt ${attempts} of ${maxAttempts} started`);
  const cancel = new AbortController();
  const signal = AbortSignal.any([job.signal, cancel.signal, deps.stopping]);
  const progress = new ProgressWriter((data) => row.update(data), log);
  const beat = setInterval(() => {
    void row.heartbeat(progress.take()).then(
      ({ cancelRequested }) => {
        if (cancelRequested && !cancel.signal.aborted) cancel.abort(new JobCancelledError(job.id));
      },
      (error: unknown) => log(`heartbeat failed: ${errorText(error)}`),
    );
  }, deps.rowHeartbeatMs);
  beat.unref();

  const ctx: JobContext = {
    jobId: job.id,
    attempt: job.retryCount,
    signal,
    prisma: deps.prisma,
    databaseUrl: deps.databaseUrl,
    progress: (done, total, message) => progress.report(done, total, message),
    enqueue: <M extends JobName>(next: M, payload: JobPayload<M>) =>
      deps.prisma.$transaction((tx) => enqueueJob(tx, deps.boss, next, payload, { createdById: claim.createdById })),
    log,
  };

  try {
    const handler = deps.handlers[name] as JobHandler<JobName>;
    await handler(parsed.data as JobPayload<JobName>, ctx);
    await progress.flush();
    await row.completed();
    log("completed");
    return result("completed");
  } catch (error) {
    await progress.flush();
    return await settleFailure(error);
  } finally {
    clearInterval(beat);
  }

  async function settleFailure(error: unknown): Promise<JobResult> {
    const message = errorText(error);
    if (cancel.signal.aborted || (signal.aborted && (await row.cancelRequested()))) {
      await deps.boss.cancel(name, { id: job.id, retryCount: job.retryCount });
      await row.cancelled();
      log("cancelled");
      return result("deadletter", "cancelled");
    }
    if (deps.stopping.aborted) {
      const why = `attempt ${attempts} stopped: the worker shut down`;
      if (attempts < maxAttempts) await row.retrying(why);
      else await row.failed(why);
      log(why);
      return result("failed", why);
    }
    if (job.signal.aborted) {
      // The claim went away (heartbeat lost, retried elsewhere): the row is no longer this attempt's.
      log(`attempt ${attempts} lost its claim: ${message}`);
      return result("failed", message);
    }
    if (error instanceof PermanentJobError) {
      await row.failed(message);
      log(`failed: ${message}`);
      return result("deadletter", message);
    }
    if (attempts < maxAttempts) {
      await row.retrying(`attempt ${attempts} of ${maxAttempts} failed: ${message}`);
      log(`attempt ${attempts} failed, will retry: ${message}`);
    } else {
      await row.failed(message);
      log(`failed after ${attempts} attempts: ${message}`);
    }
    return result("failed", message);
  }
}
