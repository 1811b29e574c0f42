import type { PrismaClient } from "../db/generated/client";
import { NotFoundError } from "./find-split";

/** A ground-truth triplet that one evaluation hits and the other misses. */
export interface TripletFlip {
  imageId: number;
  imageKey: string;
  /** Position of the relationship in the image's ground truth (dataset order). */
  relationIdx: number;
  subject: string;
  predicate: string;
  object: string;
}

export interface TripletFlips {
  /** Missed by A, hit by B. */
  fixed: TripletFlip[];
  /** Hit by A, missed by B. */
  broken: TripletFlip[];
  fixedCount: number;
  brokenCount: number;
  /** Images where the two differ at all, by image id. */
  imagesChanged: number;
}

/**
 * Compares the per-triplet hit flags (family A, dataset order) of two evaluations of the same split, image
 * by image, and names each flipped triplet from the split's ground truth. At most `limit` of each kind
 * are named; the counts are complete.
 */
export async function tripletFlips(prisma: PrismaClient, a: number, b: number, limit = 500): Promise<TripletFlips> {
  const evals = await prisma.evaluation.findMany({ where: { id: { in: [a, b] } }, select: { id: true, predictionSet: { select: { splitId: true } } } });
  for (const id of [a, b]) if (!evals.some((e) => e.id === id)) throw new NotFoundError(`no evaluation with id ${id}`);
  if (new Set(evals.map((e) => e.predictionSet.splitId)).size > 1) return { fixed: [], broken: [], fixedCount: 0, brokenCount: 0, imagesChanged: 0 };

  const rows = await prisma.evaluationImage.findMany({ where: { evaluationId: { in: [a, b] } }, select: { evaluationId: true, imageId: true, tripletHits: true }, orderBy: { imageId: "asc" } });
  const hitsA = new Map<number, boolean[]>();
  const hitsB = new Map<number, boolean[]>();
  for (const r of rows) (r.evaluationId === a ? hitsA : hitsB).set(r.imageId, r.tripletHits);

  const flips: { imageId: number; idx: number; kind: "fixed" | "broken" }[] = [];
  const changed = new Set<number>();
  for (const [imageId, ha] of hitsA) {
    const hb = hitsB.get(imageId);
    if (!hb) continue;
    const n = Math.min(ha.length, hb.length);
    for (let i = 0; i < n; i++) {
      if (ha[i] === hb[i]) continue;
      flips.push({ imageId, idx: i, kind: hb[i] ? "fixed" : "broken" });
      changed.add(imageId);
    }
  }
  const fixedAll = flips.filter((f) => f.kind === "fixed");
  const brokenAll = flips.filter((f) => f.kind === "broken");
  const shown = [...fixedAll.slice(0, limit), ...brokenAll.slice(0, limit)];
  const images = await prisma.image.findMany({
    where: { id: { in: [...new Set(shown.map((f) => f.imageId))] } },
    select: {
      id: true,
      imageKey: true,
      objects: { select: { idx: true, label: true } },
      relations: { select: { idx: true, subjectIdx: true, objectIdx: true, predicate: true } },
    },
  });
  const byId = new Map(images.map((img) => [img.id, { key: img.imageKey, objects: new Map(img.objects.map((o) => [o.idx, o.label])), relations: new Map(img.relations.map((r) => [r.idx, r])) }]));
  const name = (f: { imageId: number; idx: number }): TripletFlip => {
    const img = byId.get(f.imageId);
    const rel = img?.relations.get(f.idx);
    return {
      imageId: f.imageId,
      imageKey: img?.key ?? String(f.imageId),
      relationIdx: f.idx,
      subject: rel ? (img!.objects.get(rel.subjectIdx) ?? "?") : "?",
      predicate: rel?.predicate ?? "?",
      object: rel ? (img!.objects.get(rel.objectIdx) ?? "?") : "?",
    };
  };
  return {
    fixed: fixedAll.slice(0, limit).map(name),
    broken: brokenAll.slice(0, limit).map(name),
    fixedCount: fixedAll.length,
    brokenCount: brokenAll.length,
    imagesChanged: changed.size,
  };
}
