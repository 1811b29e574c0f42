import { z } from "zod";
import { mutation, qs, route } from "@/app/api/_lib/route";
import { getImageGraph } from "@/server/annotation/get-image-graph";
import { imageGraphSchema } from "@/server/annotation/image-graph-schema";
import { saveImageGraph } from "@/server/annotation/save-image-graph";
import { getPrisma } from "@/server/db/client";
import { graphWrite } from "./graph-error-response";

export const dynamic = "force-dynamic";

const params = z.object({ imageId: qs.int.positive() });

/** The image's current ground-truth graph (boxes in original pixels) with its revision and vocabulary warnings. */
export const GET = route({ params }, ({ params }) => getImageGraph(getPrisma(), params.imageId));

/** Saves an edited graph as the next revision; 409 with the current revision when `baseRevision` is stale. */
export const PUT = mutation(
  { params, body: imageGraphSchema.extend({ baseRevision: z.number().int().min(0), message: z.string().max(500).nullish() }) },
  ({ params, body, actor }) =>
    graphWrite(() =>
      saveImageGraph(getPrisma(), {
        imageId: params.imageId,
        baseRevision: body.baseRevision,
        graph: { objects: body.objects, relationships: body.relationships },
        message: body.message,
        actor,
      }),
    ),
);
