import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { runMetricSeries } from "@/server/queries/run-metric-series";
import { requireRun, runParams } from "../../_lib/run-request";

export const dynamic = "force-dynamic";

const names = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(",").map((n) => n.trim()).filter(Boolean) : []))
  .pipe(z.array(z.string().max(200)).max(200));

/** Metric series as columns per name; `since` returns only steps after it (live polling), `names` narrows. */
export const GET = route({ params: runParams, query: z.object({ names, since: qs.optInt }) }, async ({ params, query }) => {
  const prisma = getPrisma();
  await requireRun(prisma, params.id);
  return runMetricSeries(prisma, params.id, { names: query.names, sinceStep: query.since });
});
