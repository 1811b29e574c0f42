import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db/generated/client";
import { env } from "../env";
import { ImageStore } from "../ingest/image-store";
import { recordPrediction } from "../predictions/record-prediction";
import { NotFoundError } from "../queries/find-split";
import type { DatasetType } from "../scene-graph/types";
import type { ImageTask, InferenceBackend } from "./backend";
import { createBackend } from "./create-backend";
import { inferenceSettingsSchema, type InferenceSettings } from "./inference-settings";
import { InferenceSettingsError } from "./settings-error";

export interface FillPredictionSetOptions {
  /** Stops taking images and aborts requests in flight; what was written stays. */
  readonly signal: AbortSignal;
  /** Images answered so far (resumed ones included) of the run's total; called at most about once a second and at the end. */
  readonly onProgress?: (done: number, total: number) => void | Promise<void>;
  readonly log?: (message: string) => void;
  /** Replaces the backend the settings name (tests). */
  readonly backend?: (settings: InferenceSettings, datasetType: DatasetType) => Promise<InferenceBackend>;
}

export interface FillPredictionSetResult {
  /** Images the run covers (the split's first `imageLimit` by id, or all). */
  readonly total: number;
  /** Images that already had a prediction when this call started. */
  readonly resumed: number;
  /** Predictions written by this call, and how many of them failed to parse or got no answer. */
  readonly written: number;
  readonly failed: number;
}

/** The stored settings of a set, validated; `InferenceSettingsError` when they no longer parse. */
export function storedSettings(raw: unknown): InferenceSettings {
  const r = inferenceSettingsSchema.safeParse(raw);
  if (!r.success) throw new InferenceSettingsError("settings", `stored inference settings are invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

/**
 * Runs the set's model over the images of its split that have no prediction yet, in image-id order,
 * writing each answer as it arrives (parsed by the core; failures stored with their reason), then marks
 * the set complete. Resumable: finished images are skipped. Throws `InferenceSettingsError` (settings
 * that cannot work), `InferenceUnavailableError` (the server stayed unreachable; retry later) or the
 * abort reason; written predictions are kept in every case.
 */
export async function fillPredictionSet(prisma: PrismaClient, predictionSetId: number, o: FillPredictionSetOptions): Promise<FillPredictionSetResult> {
  const set = await prisma.predictionSet.findUnique({ where: { id: predictionSetId }, include: { split: { include: { dataset: true } } } });
  if (!set) throw new NotFoundError(`no prediction set with id ${predictionSetId}`);
  if (set.origin !== "inference") throw new InferenceSettingsError("predictionSetId", `prediction set ${set.id} "${set.name}" was imported, not made by inference`);
  const settings = storedSettings(set.settings);
  const images = await prisma.image.findMany({
    where: { splitId: set.splitId },
    orderBy: { id: "asc" },
    take: settings.imageLimit,
    select: { id: true, imageKey: true, width: true, height: true, storageKey: true },
  });
  const existing = new Set((await prisma.prediction.findMany({ where: { predictionSetId }, select: { imageId: true } })).map((p) => p.imageId));
  const pending = images.filter((i) => !existing.has(i.id));
  const total = images.length;
  let done = total - pending.length;
  const resumed = done;
  let written = 0;
  let failed = 0;
  let lastReport = 0;
  const report = async (force = false) => {
    if (!o.onProgress || (!force && performance.now() - lastReport < 1000)) return;
    lastReport = performance.now();
    await o.onProgress(done, total);
  };
  await report(true);

  if (pending.length) {
    o.signal.throwIfAborted();
    const backend = await (o.backend ?? createBackend)(settings, set.split.dataset.datasetType);
    o.log?.(`${pending.length} of ${total} images to answer (${resumed} already done), ${backend.concurrency} × ${backend.batchSize} at a time`);
    const store = new ImageStore(path.join(env().storage.dataDir, "store"));
    const batches: (typeof pending)[] = [];
    for (let i = 0; i < pending.length; i += backend.batchSize) batches.push(pending.slice(i, i + backend.batchSize));
    // One failure that ends the run (a settings error, the server gone) stops the other lanes too.
    const stop = new AbortController();
    const signal = AbortSignal.any([o.signal, stop.signal]);
    let next = 0;
    let firstError: unknown;
    const lane = async () => {
      while (!signal.aborted && next < batches.length) {
        const batch = batches[next++]!;
        const tasks: ImageTask[] = await Promise.all(
          batch.map(async (i) => ({
            imageId: i.id,
            imageKey: i.imageKey,
            width: i.width,
            height: i.height,
            bytes: i.storageKey ? await readFile(store.imagePath(i.storageKey)).catch(() => null) : null,
          })),
        );
        const outcomes = await backend.predict(tasks, signal);
        for (const outcome of outcomes) {
          const r = await recordPrediction(prisma, predictionSetId, outcome);
          if (!r.inserted) continue;
          written++;
          done++;
          if (!r.parseOk) failed++;
        }
        await report();
      }
    };
    try {
      await Promise.all(
        Array.from({ length: Math.min(backend.concurrency, batches.length) }, () =>
          lane().catch((e: unknown) => {
            if (firstError === undefined && !o.signal.aborted) firstError = e;
            stop.abort(e);
          }),
        ),
      );
    } finally {
      await backend.close();
    }
    await report(true);
    if (firstError !== undefined) throw firstError;
    o.signal.throwIfAborted();
  }
  await prisma.predictionSet.update({ where: { id: predictionSetId }, data: { status: "complete" } });
  return { total, resumed, written, failed };
}
