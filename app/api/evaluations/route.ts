import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { listEvaluations } from "@/server/queries/list-evaluations";

/** Stored evaluations, newest first; `before` pages on from the last id seen. */
export const GET = route(
  { query: z.object({ split: qs.optInt, set: qs.optInt, before: qs.optInt, limit: qs.optInt }) },
  async ({ query }) => ({ evaluations: await listEvaluations(getPrisma(), { splitId: query.split, predictionSetId: query.set, before: query.before, limit: query.limit }) }),
);
