import { graphsAtVersion } from "../annotation/graphs-at-version";
import type { PrismaClient } from "../db/generated/client";
import type { SourceRecord } from "../ingest/source-record";
import { NotFoundError } from "../queries/find-split";
import { recordLine } from "./record-line";

export interface SplitJsonlDownload {
  /** `<dataset>-<split>-v<version>.jsonl`, for the download's file name. */
  readonly fileName: string;
  /** One record line per image (UTF-8, newline-terminated), produced as the client reads. */
  readonly body: ReadableStream<Uint8Array>;
}

/**
 * A split's ground truth at GT version `version` (default: the newest) as a stream of the project's JSONL record lines, annotations only (the image
 * size is on every line, so `sgg ingest records --no-images` reads it). Boxes are original-image pixels.
 * The split is checked before the stream starts, so a bad request fails before any byte is sent.
 */
export async function splitJsonlStream(prisma: PrismaClient, o: { splitId: number; version?: number }): Promise<SplitJsonlDownload> {
  const split = await prisma.split.findUnique({ where: { id: o.splitId }, include: { dataset: true } });
  if (!split) throw new NotFoundError(`no split with id ${o.splitId}`);
  if (split.status !== "ready") throw new NotFoundError(`split ${split.dataset.name}/${split.name} is ${split.status}, not ready`);
  const version = o.version ?? split.gtVersion;
  if (version > split.gtVersion) throw new NotFoundError(`split ${split.dataset.name}/${split.name} has no GT version ${version} (its newest is ${split.gtVersion})`);
  const records: AsyncIterator<SourceRecord> = graphsAtVersion(prisma, o.splitId, version)[Symbol.asyncIterator]();
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
  return { fileName: `${safe(split.dataset.name)}-${safe(split.name)}-v${version}.jsonl`, body };
}
