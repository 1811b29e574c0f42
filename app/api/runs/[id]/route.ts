import { route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { getRun } from "@/server/queries/get-run";
import { runParams } from "../_lib/run-request";

export const dynamic = "force-dynamic";

/** One run with its job's progress, checkpoints and their evaluations. */
export const GET = route({ params: runParams }, ({ params }) => getRun(getPrisma(), params.id));
