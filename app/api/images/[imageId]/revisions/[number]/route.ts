import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getRevision } from "@/server/annotation/get-revision";
import { getPrisma } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** One revision with its graph; number 0 is the graph as ingested. */
export const GET = route({ params: z.object({ imageId: qs.int.positive(), number: qs.int.min(0) }) }, ({ params }) =>
  getRevision(getPrisma(), params.imageId, params.number),
);
