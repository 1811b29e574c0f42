import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { listRevisions } from "@/server/annotation/list-revisions";
import { getPrisma } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** The image's ground-truth revisions, newest first; empty while it is as ingested. */
export const GET = route({ params: z.object({ imageId: qs.int.positive() }) }, ({ params }) => listRevisions(getPrisma(), params.imageId));
