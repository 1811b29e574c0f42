import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../db/generated/client";
import { ImageStore } from "../ingest/image-store";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { TrainingRunError } from "./training-run-error";

export interface ExportSplitShardOptions {
  readonly splitId: number;
  /** Absolute path of the shard to write (JSON lines). */
  readonly out: string;
  /** At most this many images, the first in ingest order (0: all). */
  readonly limit?: number;
  /** Root of the image store (env().storage.dataDir/store). */
  readonly storeRoot: string;
  /** Form field to name in errors (splitId or evalSplitId). */
  readonly field?: string;
}

export interface ExportedShard {
  readonly file: string;
  readonly images: number;
  readonly datasetType: DatasetType;
  /** Class names (the part of each object id before the first dot) and predicates in the shard. */
  readonly classes: ReadonlySet<string>;
  readonly predicates: ReadonlySet<string>;
}

const PAGE = 500;

/**
 * Writes a split as the trainer's records shard: one line per image, `{"image_id", "width", "height",
 * "objects": [{"id", "bbox"}], "relationships": [{"subject", "predicate", "object"}], "image"}` with
 * boxes in original pixels and `image` the absolute path of the picture in the image store (no copies).
 * The file appears whole (written beside it, then renamed). Every image needs stored bytes.
 */
export async function exportSplitShard(prisma: PrismaClient, o: ExportSplitShardOptions): Promise<ExportedShard> {
  const field = o.field ?? "splitId";
  const split = await prisma.split.findUnique({ where: { id: o.splitId }, include: { dataset: true } });
  if (!split) throw new TrainingRunError(`no split with id ${o.splitId}`, field);
  const label = `${split.dataset.name}/${split.name}`;
  if (split.status !== "ready") throw new TrainingRunError(`split ${label} is ${split.status}, not ready`, field);
  const store = new ImageStore(o.storeRoot);
  const limit = o.limit && o.limit > 0 ? o.limit : Infinity;
  await mkdir(path.dirname(o.out), { recursive: true });
  const tmp = `${o.out}.${process.pid}.tmp`;
  const stream = createWriteStream(tmp, { encoding: "utf8" });
  const classes = new Set<string>();
  const predicates = new Set<string>();
  let written = 0;
  let cursor = 0;
  try {
    while (written < limit) {
      const page = await prisma.image.findMany({
        where: { splitId: split.id, id: { gt: cursor } },
        orderBy: { id: "asc" },
        take: Math.min(PAGE, limit - written),
        select: {
          id: true,
          imageKey: true,
          width: true,
          height: true,
          storageKey: true,
          objects: { select: { label: true, x1: true, y1: true, x2: true, y2: true }, orderBy: { idx: "asc" } },
          relations: { select: { subjectIdx: true, objectIdx: true, predicate: true }, orderBy: { idx: "asc" } },
        },
      });
      if (page.length === 0) break;
      for (const img of page) {
        if (!img.storageKey || !/^[A-Za-z0-9]+$/.test(img.storageKey)) {
          throw new TrainingRunError(`split ${label}: image "${img.imageKey}" has no stored picture; training needs the image bytes (ingest the split with its images)`, field);
        }
        const file = store.imagePath(img.storageKey);
        await access(file).catch(() => {
          throw new TrainingRunError(`split ${label}: the picture of image "${img.imageKey}" is missing from the image store (${file})`, field);
        });
        const objects = img.objects.map((ob) => ({ id: ob.label, bbox: [ob.x1, ob.y1, ob.x2, ob.y2] }));
        for (const ob of objects) classes.add(ob.id.split(".")[0]!);
        const relationships = img.relations.map((r) => {
          predicates.add(r.predicate);
          return { subject: objects[r.subjectIdx]!.id, predicate: r.predicate, object: objects[r.objectIdx]!.id };
        });
        const lineOut = JSON.stringify({ image_id: img.imageKey, width: img.width, height: img.height, objects, relationships, image: file });
        if (!stream.write(`${lineOut}\n`)) await once(stream, "drain");
        written++;
      }
      cursor = page[page.length - 1]!.id;
    }
    stream.end();
    await once(stream, "finish");
  } catch (e) {
    stream.destroy();
    throw e;
  }
  if (written === 0) throw new TrainingRunError(`split ${label} has no images`, field);
  await rename(tmp, o.out);
  return { file: o.out, images: written, datasetType: split.dataset.datasetType, classes, predicates };
}

/**
 * Writes the vocabulary file the trainer reads (`{"objects", "predicates"}`, index 0 = background, the
 * VG150 layout): the dataset type's classes and predicates, then any the exported shards use beyond
 * them, so every ground-truth id can be tokenised.
 */
export async function writeVocabularyFile(out: string, datasetType: DatasetType, shards: readonly ExportedShard[]): Promise<{ objects: string[]; predicates: string[] }> {
  const vocab = getVocabulary(datasetType);
  const objects = vocab.classIds.map((id) => vocab.className(id));
  const predicates = [...vocab.predicates];
  const knownObjects = new Set(objects);
  const knownPredicates = new Set(predicates);
  for (const s of shards) {
    for (const c of [...s.classes].sort()) {
      if (knownObjects.has(c)) continue;
      knownObjects.add(c);
      objects.push(c);
    }
    for (const p of [...s.predicates].sort()) {
      if (knownPredicates.has(p)) continue;
      knownPredicates.add(p);
      predicates.push(p);
    }
  }
  const body = { objects: ["__background__", ...objects], predicates: ["__background__", ...predicates] };
  await mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(body, null, 1)}\n`);
  await rename(tmp, out);
  return body;
}
