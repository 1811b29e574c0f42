import { mutation } from "@/app/api/_lib/route";
import { actorUserId } from "@/server/auth/actor";
import { getPrisma } from "@/server/db/client";
import { resumeRun } from "@/server/runs/resume-run";
import { runParams, runRequestError } from "../../_lib/run-request";

/** Starts a failed or cancelled run again from its newest checkpoint: `{ runId, jobId }`. */
export const POST = mutation({ params: runParams }, async ({ params, actor }) => {
  try {
    return await resumeRun(getPrisma(), params.id, { createdById: actorUserId(actor) });
  } catch (e) {
    throw runRequestError(e, "run");
  }
});
