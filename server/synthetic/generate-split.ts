import type { PredictionFile } from "../scene-graph/eval/gather";
import type { BoxPx, GtObject, GtRecord, GtRelation } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { createRng, pick, pickHeavy, randInt } from "./random";

/** What kind of model answer was generated, so tests and benches can slice by it. */
export type AnswerKind = "good" | "partial" | "broken";

export interface GeneratedSplit {
  readonly gt: GtRecord[];
  readonly predictions: PredictionFile[];
  readonly kinds: AnswerKind[];
}

export interface GenerateOptions {
  readonly images: number;
  readonly seed?: number;
  /** Share of good / partial answers; the rest are broken. */
  readonly good?: number;
  readonly partial?: number;
}

// Names a model writes that are not VG150 words but map through the tables or WordNet.
const OFF_VOCAB_LABELS: Record<string, string> = { man: "men", person: "people", bike: "bicycle", tree: "trees", car: "automobile", shirt: "tee shirt" };
const OFF_VOCAB_PREDICATES: Record<string, string> = { on: "is on", "sitting on": "sits on", holding: "holds", wearing: "wears", near: "next to" };

/**
 * A realistic synthetic split in the VG150 vocabulary: about 12 objects and 6 relations per image (up to
 * 60 and 40), long-tailed classes and predicates, and one model answer per image on the Qwen2-VL 0..1000
 * grid that is good (jittered boxes, a few label and predicate slips), partial (half the graph, made-up
 * extras) or broken (truncated, prose, bad boxes, missing keys). Deterministic for a seed.
 */
export function generateSplit(o: GenerateOptions): GeneratedSplit {
  const rng = createRng(o.seed ?? 42);
  const vocab = getVocabulary("vg");
  const gt: GtRecord[] = [];
  const predictions: PredictionFile[] = [];
  const kinds: AnswerKind[] = [];
  for (let i = 0; i < o.images; i++) {
    const rec = generateRecord(rng, String(1_000_000 + i), vocab.classes, vocab.predicates);
    const u = rng();
    const kind: AnswerKind = u < (o.good ?? 0.6) ? "good" : u < (o.good ?? 0.6) + (o.partial ?? 0.25) ? "partial" : "broken";
    gt.push(rec);
    kinds.push(kind);
    predictions.push({ image_id: rec.image_id, response: generateAnswer(rng, rec, kind, vocab.classes, vocab.predicates), box_scale: [1000, 1000] });
  }
  return { gt, predictions, kinds };
}

function generateRecord(rng: () => number, imageId: string, classes: readonly string[], predicates: readonly string[]): GtRecord {
  const width = randInt(rng, 320, 1024);
  const height = randInt(rng, 240, 1024);
  const n = Math.min(60, 1 + Math.floor(-Math.log(1 - rng()) * 11));
  const objects: GtObject[] = [];
  for (let k = 1; k <= n; k++) {
    const w = randInt(rng, 8, Math.floor(width * 0.6));
    const h = randInt(rng, 8, Math.floor(height * 0.6));
    const x = randInt(rng, 0, width - w);
    const y = randInt(rng, 0, height - h);
    objects.push({ id: `${pickHeavy(rng, classes)}.${k}`, bbox: [x, y, x + w, y + h] });
  }
  const m = n < 2 ? 0 : Math.min(40, Math.round(n * (0.3 + rng() * 0.4)));
  const relationships: GtRelation[] = [];
  for (let k = 0; k < m; k++) {
    const s = randInt(rng, 0, n - 1);
    let t = randInt(rng, 0, n - 2);
    if (t >= s) t++;
    relationships.push({ subject: objects[s]!.id, predicate: pickHeavy(rng, predicates), object: objects[t]!.id });
  }
  return { image_id: imageId, width, height, objects, relationships };
}

function toGrid(b: BoxPx, w: number, h: number, jitter: number, rng: () => number): number[] {
  const j = () => (rng() * 2 - 1) * jitter;
  return [b[0] / w, b[1] / h, b[2] / w, b[3] / h].map((v) => Math.max(0, Math.min(1000, Math.round((v + j()) * 1000))));
}

function generateAnswer(rng: () => number, rec: GtRecord, kind: AnswerKind, classes: readonly string[], predicates: readonly string[]): string {
  if (kind === "broken") return brokenAnswer(rng, rec);
  const keep = kind === "good" ? 0.9 : 0.5;
  const objects: { id: string; bbox: number[] }[] = [];
  const idMap = new Map<string, string>();
  rec.objects.forEach((o, k) => {
    if (rng() > keep) return;
    let label = o.id.split(".")[0]!;
    if (rng() < 0.05) label = pick(rng, classes);
    else if (rng() < 0.1 && OFF_VOCAB_LABELS[label]) label = OFF_VOCAB_LABELS[label]!;
    const id = `${label}.${k + 1}`;
    idMap.set(o.id, id);
    objects.push({ id, bbox: toGrid(o.bbox, rec.width, rec.height, kind === "good" ? 0.02 : 0.08, rng) });
  });
  const relationships: { subject: string; predicate: string; object: string }[] = [];
  for (const r of rec.relationships) {
    const s = idMap.get(r.subject);
    const t = idMap.get(r.object);
    if (!s || !t || rng() > keep) continue;
    let p = r.predicate;
    if (rng() < 0.15) p = pick(rng, predicates);
    else if (rng() < 0.1 && OFF_VOCAB_PREDICATES[p]) p = OFF_VOCAB_PREDICATES[p]!;
    relationships.push(rng() < 0.03 ? { subject: t, predicate: p, object: s } : { subject: s, predicate: p, object: t });
  }
  if (kind === "partial") {
    for (let k = 0; k < 2; k++) objects.push({ id: `${pick(rng, classes)}.${100 + k}`, bbox: [100, 100, 300, 400] });
  }
  const json = JSON.stringify({ objects, relationships });
  const wrap = rng();
  if (wrap < 0.5) return "```json\n" + json + "\n```";
  if (wrap < 0.8) return `<think>The image shows ${objects.length} objects.</think> <answer>${json}</answer>`;
  return json;
}

function brokenAnswer(rng: () => number, rec: GtRecord): string {
  const objects = rec.objects.map((o, k) => ({ id: `${o.id.split(".")[0]}.${k + 1}`, bbox: toGrid(o.bbox, rec.width, rec.height, 0.02, rng) }));
  const json = JSON.stringify({ objects, relationships: [] });
  switch (randInt(rng, 0, 4)) {
    case 0:
      return "```json\n" + json.slice(0, Math.floor(json.length * rng())); // cut at the length limit
    case 1:
      return "I can see several objects in this picture, including a person and a table.";
    case 2:
      return JSON.stringify({ objects: objects.map((o) => ({ id: o.id, bbox: o.bbox.slice(0, 3) })), relationships: [] });
    case 3:
      return JSON.stringify({ objects });
    default:
      return json.replace(/"bbox"/, "bbox");
  }
}
