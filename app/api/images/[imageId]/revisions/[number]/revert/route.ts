import { z } from "zod";
import { mutation, qs } from "@/app/api/_lib/route";
import { revertImageGraph } from "@/server/annotation/revert-image-graph";
import { getPrisma } from "@/server/db/client";
import { graphWrite } from "../../../graph/graph-error-response";

/** Saves revision `number`'s graph as the image's next revision; 409 when `baseRevision` is stale. */
export const POST = mutation(
  { params: z.object({ imageId: qs.int.positive(), number: qs.int.min(0) }), body: z.object({ baseRevision: z.number().int().min(0) }) },
  ({ params, body, actor }) =>
    graphWrite(() => revertImageGraph(getPrisma(), { imageId: params.imageId, baseRevision: body.baseRevision, toRevision: params.number, actor })),
);
