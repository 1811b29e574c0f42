import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { evaluationVersions } from "@/server/annotation/evaluation-versions";
import { getPrisma } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** The set's evaluations per GT version, oldest first, with the split's current GT version and review counts. */
export const GET = route({ params: z.object({ id: qs.int.positive() }) }, ({ params }) => evaluationVersions(getPrisma(), params.id));
