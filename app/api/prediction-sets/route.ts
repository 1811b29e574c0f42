import { z } from "zod";
import { mutation, qs, RequestError, route } from "@/app/api/_lib/route";
import { actorUserId } from "@/server/auth/actor";
import { getPrisma } from "@/server/db/client";
import { createPredictionRunSchema } from "@/server/inference/inference-settings";
import { createPredictionRun, PredictionRunInputError } from "@/server/predictions/create-prediction-run";
import { getPredictionRun } from "@/server/predictions/get-prediction-run";

export const dynamic = "force-dynamic";

/** Starts a prediction run: a new set on a split and its predict job; 201 with both ids. */
export const POST = mutation({ body: createPredictionRunSchema, created: true }, async ({ body, actor }) => {
  try {
    return await createPredictionRun(getPrisma(), body, { createdById: actorUserId(actor) });
  } catch (e) {
    if (e instanceof PredictionRunInputError) throw new RequestError(e.status, e.message, e.field);
    throw e;
  }
});

/** `?id=N`: one prediction set's progress (answers stored of the run's total) and its newest evaluation. */
export const GET = route({ query: z.object({ id: qs.int.positive() }) }, ({ query }) => getPredictionRun(getPrisma(), query.id));
