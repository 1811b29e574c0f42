import { z } from "zod";
import { qs, RequestError, route } from "@/app/api/_lib/route";
import { getPrisma } from "@/server/db/client";
import { ExportError } from "@/server/export/export-error";
import { splitJsonlStream } from "@/server/export/split-jsonl-stream";

export const dynamic = "force-dynamic";

/**
 * Downloads a split's ground truth as JSONL records (annotations only). Parquet and the VG150 files carry
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
    let download;
    try {
      download = await splitJsonlStream(getPrisma(), { splitId: params.splitId, version: query.version });
    } catch (e) {
      if (e instanceof ExportError) throw new RequestError(422, e.message, "version");
      throw e;
    }
    return new Response(download.body, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="${download.fileName}"`,
        "cache-control": "no-store",
      },
    });
  },
);
