import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { compareImage } from "@/server/queries/compare-evaluations";

/** One image's ground-truth boxes and each prediction set's kept boxes: what the comparison draws side by side. */
export const GET = route({ query: z.object({ image: qs.int.positive(), sets: qs.intList.pipe(z.array(z.number()).min(1).max(8)) }) }, ({ query }) =>
  compareImage(getPrisma(), query.image, query.sets),
);
