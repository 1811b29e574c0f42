import { PermanentJobError, type JobHandler } from "../job-context";

/** Placeholder until the evaluate handler lands; fails at once so nothing retries it. */
export const evaluateHandler: JobHandler<"evaluate"> = async () => {
  throw new PermanentJobError("the evaluate job is not available in this build");
};
