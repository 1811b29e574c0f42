import { z } from "zod";
import { mutation, qs, route } from "@/app/api/_lib/route";
import { actorUserId } from "@/server/auth/actor";
import { getPrisma } from "@/server/db/client";
import { listRuns, RUN_STATUSES } from "@/server/queries/list-runs";
import { createTrainingRun } from "@/server/runs/create-training-run";
import { trainingRunFormSchema } from "@/server/runs/training-config";
import { runRequestError } from "./_lib/run-request";

export const dynamic = "force-dynamic";

/** Training runs, newest first, with their best figures; `before` pages on from the last id seen. */
export const GET = route(
  { query: z.object({ status: z.enum(RUN_STATUSES).optional(), kind: z.enum(["sft", "grpo"]).optional(), before: qs.optInt, limit: qs.optInt }) },
  async ({ query }) => ({ runs: await listRuns(getPrisma(), query) }),
);

/** Starts a run from the run form: 201 `{ runId, jobId }`; a rejected value is a 400/422 naming its field. */
export const POST = mutation({ body: trainingRunFormSchema, created: true }, async ({ body, actor }) => {
  try {
    return await createTrainingRun(getPrisma(), body, { createdById: actorUserId(actor) });
  } catch (e) {
    throw runRequestError(e, "form");
  }
});
