import type { PrismaClient } from "../db/generated/client";
import type { SourceRecord } from "../ingest/source-record";
import { NotFoundError } from "../queries/find-split";
import { currentGraphs } from "./current-graphs";
import { ExportError } from "./export-error";
import { recordLine } from "./record-line";

export interface SplitJsonlDownload {
  /** `<dataset>-<split>.jsonl`, for the download's file name. */
  readonly fileName: string;
  /** One record line per image (UTF-8, newline-terminated), produced as the client reads. */
  readonly body: ReadableStream<Uint8Array>;
}

/**
 * A split's ground truth as a stream of the project's JSONL record lines, annotations only (the image
 * size is on every line, so `sgg ingest records --no-images` reads it). Boxes are original-image pixels.
 * The split is checked before the stream starts, so a bad request fails before any byte is sent.
 */
export async function splitJsonlStream(prisma: PrismaClient, o: { splitId: number; version?: number }): Promise<SplitJsonlDownload> {
  const split = await prisma.split.findUnique({ where: { id: o.splitId }, include: { dataset: true } });
  if (!split) throw new NotFoundError(`no split with id ${o.splitId}`);
  if (split.status !== "ready") throw new NotFoundError(`split ${split.dataset.name}/${split.name} is ${split.status}, not ready`);
  if (o.version !== undefined) throw new ExportError("exporting an earlier ground-truth version is not available yet; leave out the version to export the current graphs");
  const records: AsyncIterator<SourceRecord> = currentGraphs(prisma, o.splitId)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A few dozen lines per chunk keeps the number of enqueues low without holding much.
      const lines: string[] = [];
      while (lines.length < 64) {
        const next = await records.next();
        if (next.done) break;
        lines.push(`${recordLine(next.value)}\n`);
      }
      if (lines.length) controller.enqueue(encoder.encode(lines.join("")));
      if (lines.length < 64) controller.close();
    },
    async cancel() {
      await records.return?.();
    },
  });
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
  return { fileName: `${safe(split.dataset.name)}-${safe(split.name)}.jsonl`, body };
}
