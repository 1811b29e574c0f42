import { z } from "zod";
import { qs, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { splitJsonlStream } from "@/server/export/split-jsonl-stream";

export const dynamic = "force-dynamic";

/**
 * Downloads a split's ground truth at GT version `version` (default: the newest) as JSONL records,
 * annotations only; a version the split has not reached is a 404. Parquet and the VG150 files carry
 * the pictures and are written by `sgg export`, not served here.
 */
export const GET = route(
  {
    params: z.object({ splitId: qs.int.positive() }),
    query: z.object({
      format: z.literal("jsonl", { error: "only jsonl is served here; parquet and vg150 are written by `sgg export`" }).default("jsonl"),
      version: z.coerce.number().int().min(0).optional(),
    }),
  },
  async ({ params, query }) => {
    const download = await splitJsonlStream(getPrisma(), { splitId: params.splitId, version: query.version });
    return new Response(download.body, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="${download.fileName}"`,
        "cache-control": "no-store",
      },
    });
  },
);
