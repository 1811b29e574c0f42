import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { getSplitOverview } from "@/server/queries/dataset-overview";
import { listImages, listImagesQuerySchema } from "@/server/queries/list-images";

export const dynamic = "force-dynamic";

const recall = z.coerce.number().min(0).max(1).optional();

/** A keyset page of a split's images, filtered and sorted; see `listImages`. */
export const GET = route(
  {
    params: z.object({ splitId: qs.int.positive() }),
    query: z.object({
      classId: qs.optInt,
      predicateId: qs.optInt,
      predictionSetId: qs.optInt,
      evaluationId: qs.optInt,
      failureKind: listImagesQuerySchema.shape.failureKind,
      hasPrediction: qs.optBool,
      recallMin: recall,
      recallMax: recall,
      sort: listImagesQuerySchema.shape.sort,
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(120),
    }),
  },
  async ({ params, query }) => {
    const prisma = getPrisma();
    // An unknown split is a 404, not an empty page.
    await getSplitOverview(prisma, params.splitId);
    return listImages(prisma, { splitId: params.splitId, ...query });
  },
);
