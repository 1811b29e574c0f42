/**
 * The payload schema of every job name. The web side imports only this file (and enqueue-job.ts) to
 * start work; handlers live in workers/tasks and are looked up in workers/registry.ts. A payload that
 * fails its schema fails its job at once, without retries.
 */
import { z } from "zod";
import { COMPAT_FLAGS, type CompatFlag } from "../scene-graph/types";

export const jobPayloadSchemas = {
  /** Fill a prediction set (created beforehand with its inference settings) by running a model. */
  predict: z.object({ predictionSetId: z.number().int().positive() }).strict(),
  /** Run the trainer for a stored Run and record its events. */
  train: z.object({ runId: z.number().int().positive() }).strict(),
  /**
   * Evaluate a prediction set with the stored evaluation of the data layer, against the split's
   * ground truth at `gtVersion` (default: current when the job runs), with compatibility flags.
   */
  evaluate: z
    .object({
      predictionSetId: z.number().int().positive(),
      gtVersion: z.number().int().min(0).optional(),
      compat: z.array(z.enum(COMPAT_FLAGS as [CompatFlag, ...CompatFlag[]])).optional(),
    })
    .strict(),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;
export const JOB_NAMES = Object.keys(jobPayloadSchemas) as JobName[];

/**
 * Queue settings per job name (pg-boss): retries with exponential backoff, heartbeats for long work.
 * pg-boss caps a claim at 24 hours; a longer training run is failed there and retried, and the retry
 * resumes the trainer from its newest checkpoint.
 */
export interface JobQueueSettings {
  /** Retries after the first attempt. */
  retryLimit: number;
  /** Seconds before the first retry; doubled per retry with jitter when `retryBackoff`. */
  retryDelay: number;
  retryBackoff: boolean;
  /** A claim whose worker has not refreshed it for this many seconds (pg-boss minimum 10) is retried. */
  heartbeatSeconds: number;
  /** Longest one attempt may run, in seconds. */
  expireInSeconds: number;
}

export const jobQueueOptions: Record<JobName, JobQueueSettings> = {
  predict: { retryLimit: 5, retryDelay: 5, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 60 * 60 * 24 },
  train: { retryLimit: 3, retryDelay: 10, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 60 * 60 * 24 },
  evaluate: { retryLimit: 3, retryDelay: 5, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 60 * 60 * 2 },
};
