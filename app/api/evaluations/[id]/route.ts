import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { getEvaluation } from "@/server/queries/list-evaluations";

/** One evaluation with its protocol, summary and per-predicate rows. */
export const GET = route({ params: z.object({ id: qs.int.positive() }) }, ({ params }) => getEvaluation(getPrisma(), params.id));
