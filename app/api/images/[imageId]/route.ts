import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { getImage } from "@/server/queries/get-image";

export const dynamic = "force-dynamic";

/** One image with ground truth and, per chosen prediction set, the answer, gather result and diagnosis. */
export const GET = route(
  {
    params: z.object({ imageId: qs.int.positive() }),
    query: z.object({ sets: qs.intList.pipe(z.array(z.number()).max(8)) }),
  },
  async ({ params, query }) => getImage(getPrisma(), params.imageId, query.sets),
);
