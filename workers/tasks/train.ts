import { PermanentJobError, type JobHandler } from "../job-context";

/** Placeholder until the train handler lands; fails at once so nothing retries it. */
export const trainHandler: JobHandler<"train"> = async () => {
  throw new PermanentJobError("the train job is not available in this build");
};
