import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { compareEvaluations } from "@/server/queries/compare-evaluations";
import { tripletFlips } from "@/server/queries/triplet-flips";

/** Two or more evaluations side by side, and the triplets fixed and broken from the first to the second. */
export const GET = route({ query: z.object({ evaluations: qs.intList.pipe(z.array(z.number()).min(2).max(8)) }) }, async ({ query }) => {
  const prisma = getPrisma();
  const ids = query.evaluations;
  return { evaluations: await compareEvaluations(prisma, ids), flips: await tripletFlips(prisma, ids[0]!, ids[1]!) };
});
