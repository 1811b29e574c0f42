/**
 * Which handler runs each job name. A worker looks handlers up here; tests hand `startWorker` their own
 * through its `handlers` option, which replaces entries of this table for that worker only.
 */
import type { JobName } from "../server/jobs/job-payloads";
import type { JobHandler } from "./job-context";
import { evaluateHandler } from "./tasks/evaluate";
import { predictHandler } from "./tasks/predict";
import { trainHandler } from "./tasks/train";

export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export const jobHandlers: JobHandlers = {
  predict: predictHandler,
  train: trainHandler,
  evaluate: evaluateHandler,
};

/** The registry with `overrides` in place of the listed entries. */
export function resolveHandlers(overrides: Partial<JobHandlers> = {}): JobHandlers {
  return { ...jobHandlers, ...overrides };
}
