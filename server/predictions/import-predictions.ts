import type { PrismaClient } from "../db/generated/client";
import { readPredictions } from "../io/read-predictions";
import { findSplit } from "../queries/find-split";
import { buildPredictionRow, type PredictionRow } from "./prediction-row";

export interface ImportPredictionsOptions {
  readonly dataset: string;
  readonly split: string;
  /** A folder of per-image JSON files or a JSON-lines file, as the reference's inference writes them. */
  readonly from: string;
  readonly name: string;
  /** Replace a prediction set of the same name instead of refusing. */
  readonly replace?: boolean;
  readonly checkpointId?: number;
}

export interface ImportPredictionsResult {
  readonly predictionSetId: number;
  readonly imported: number;
  readonly failed: number;
  /** Image ids of the files that the split does not contain: reported and skipped. */
  readonly unknownImages: readonly string[];
}

/** Raised when the named prediction set already exists and `replace` was not asked for. */
export class PredictionSetExistsError extends Error {}

/**
 * Imports model answers into a prediction set: each stored raw, with what the parser made of it (the
 * graph, or the failure kind and message). All or nothing: one transaction.
 */
export async function importPredictions(prisma: PrismaClient, o: ImportPredictionsOptions): Promise<ImportPredictionsResult> {
  const split = await findSplit(prisma, o.dataset, o.split);
  const sourced = await readPredictions(o.from);
  const images = await prisma.image.findMany({ where: { splitId: split.id }, select: { id: true, imageKey: true } });
  const rowId = new Map(images.map((i) => [i.imageKey, i.id]));
  const unknownImages: string[] = [];
  const rows: PredictionRow[] = [];
  const seen = new Set<string>();
  let failed = 0;
  for (const { prediction: p, source } of sourced) {
    const imageId = rowId.get(p.image_id);
    if (imageId === undefined) {
      unknownImages.push(p.image_id);
      continue;
    }
    if (seen.has(p.image_id)) throw new Error(`${source}: second prediction for image "${p.image_id}"`);
    seen.add(p.image_id);
    const row = buildPredictionRow(imageId, p.response, p.box_scale);
    if (!row.parseOk) failed++;
    rows.push(row);
  }
  const setId = await prisma.$transaction(
    async (tx) => {
      const existing = await tx.predictionSet.findUnique({ where: { splitId_name: { splitId: split.id, name: o.name } } });
      if (existing && !o.replace) throw new PredictionSetExistsError(`prediction set "${o.name}" already exists on ${o.dataset}/${o.split} (use --replace)`);
      if (existing) await tx.predictionSet.delete({ where: { id: existing.id } });
      const set = await tx.predictionSet.create({
        data: { name: o.name, splitId: split.id, origin: "import", sourcePath: o.from, checkpointId: o.checkpointId, count: rows.length, failedCount: failed, settings: { unknownImages: unknownImages.length } },
      });
      for (let i = 0; i < rows.length; i += 1000) {
        await tx.prediction.createMany({ data: rows.slice(i, i + 1000).map((r) => ({ ...r, predictionSetId: set.id })) });
      }
      return set.id;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { predictionSetId: setId, imported: rows.length, failed, unknownImages };
}
