import { z } from "zod";
import { mutation, qs, route } from "@/app/api/_lib/route";
import { listImageReviews } from "@/server/annotation/list-image-reviews";
import { reviewTriplet, reviewTripletSchema } from "@/server/annotation/review-triplet";
import { getPrisma } from "@/server/db/client";
import { graphWrite } from "../graph/graph-error-response";

export const dynamic = "force-dynamic";

const params = z.object({ imageId: qs.int.positive() });

/** The image's triplet reviews, newest first. */
export const GET = route({ params }, ({ params }) => listImageReviews(getPrisma(), params.imageId));

/** Accepts a predicted triplet into ground truth or flags a ground-truth one, as a new revision. */
export const POST = mutation({ params, body: reviewTripletSchema.omit({ imageId: true }) }, ({ params, body, actor }) =>
  graphWrite(() => reviewTriplet(getPrisma(), { ...body, imageId: params.imageId, actor })),
);
