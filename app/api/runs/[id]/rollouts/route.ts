import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { listRollouts } from "@/server/queries/list-rollouts";
import { requireRun, runParams } from "../../_lib/run-request";

export const dynamic = "force-dynamic";

/** The GRPO groups of one step (the newest without `step`), with the steps that have groups. */
export const GET = route({ params: runParams, query: z.object({ step: qs.optInt }) }, async ({ params, query }) => {
  const prisma = getPrisma();
  await requireRun(prisma, params.id);
  return listRollouts(prisma, params.id, { step: query.step });
});
