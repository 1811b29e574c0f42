import { PermanentJobError, type JobHandler } from "../job-context";

/** Placeholder until the predict handler lands; fails at once so nothing retries it. */
export const predictHandler: JobHandler<"predict"> = async () => {
  throw new PermanentJobError("the predict job is not available in this build");
};
