import { z } from "zod";
import { mutation, RequestError } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { cancelJob, JobFinishedError } from "@/server/jobs/cancel-job";
import { getQueue } from "@/server/jobs/queue";

/** Cancels a queued job at once, or asks a running one to stop; 409 for a finished job. */
export const POST = mutation({ params: z.object({ id: z.uuid() }) }, async ({ params }) => {
  try {
    return await cancelJob(getPrisma(), await getQueue(), params.id);
  } catch (e) {
    if (e instanceof JobFinishedError) throw new RequestError(409, e.message);
    throw e;
  }
});
