import { z } from "zod";
import { route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { getJob } from "@/server/jobs/get-job";

/** One job with progress, ETA and the stale flag. */
export const GET = route({ params: z.object({ id: z.uuid() }) }, async ({ params }) => getJob(getPrisma(), params.id));
