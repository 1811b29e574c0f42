import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { runLogTail } from "@/server/queries/run-log-tail";
import { requireRun, runParams } from "../../_lib/run-request";

export const dynamic = "force-dynamic";

/** The last `limit` log lines (default 200), or only those after line `after`. */
export const GET = route({ params: runParams, query: z.object({ limit: qs.optInt, after: qs.optInt }) }, async ({ params, query }) => {
  const prisma = getPrisma();
  await requireRun(prisma, params.id);
  return runLogTail(prisma, params.id, { limit: query.limit, afterLine: query.after });
});
