import { route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { listDatasetOverview } from "@/server/queries/dataset-overview";

export const dynamic = "force-dynamic";

/** Every dataset with its splits, prediction sets and evaluation summaries. */
export const GET = route({}, async () => listDatasetOverview(getPrisma()));
