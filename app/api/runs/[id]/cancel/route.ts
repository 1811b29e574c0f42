import { mutation } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { cancelRun } from "@/server/runs/cancel-run";
import { runParams, runRequestError } from "../../_lib/run-request";

/** Asks the run to stop: `{ status, requested }` (cancelled at once when its job had not started). */
export const POST = mutation({ params: runParams }, async ({ params }) => {
  try {
    return await cancelRun(getPrisma(), params.id);
  } catch (e) {
    throw runRequestError(e, "run");
  }
});
