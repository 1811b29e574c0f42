import { z } from "zod";
import { mutation, qs, RequestError } from "@/app/api/_lib/route";
import { EvaluationCurrentError, reevaluateEvaluation } from "@/server/annotation/reevaluate-evaluation";
import { actorUserId } from "@/server/auth/actor";
import { getPrisma } from "@/server/db/client";
import { getQueue } from "@/server/jobs/queue";
import { PredictionSetNotReadyError } from "@/server/jobs/start-evaluation-job";

/** Queues the evaluation's prediction set against the split's current ground truth; 409 when it already is. */
export const POST = mutation({ params: z.object({ id: qs.int.positive() }) }, async ({ params, actor }) => {
  try {
    return await reevaluateEvaluation(getPrisma(), await getQueue(), params.id, { createdById: actorUserId(actor) });
  } catch (e) {
    if (e instanceof EvaluationCurrentError || e instanceof PredictionSetNotReadyError) throw new RequestError(409, e.message);
    throw e;
  }
});
