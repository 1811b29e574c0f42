import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { evaluateFiles } from "../evaluation/evaluate-files";
import { evaluatePredictionSet } from "../evaluation/evaluate-prediction-set";
import { ingestSource } from "../ingest/ingest-source";
import { getImage } from "../queries/get-image";
import { getEvaluation, listEvaluations } from "../queries/list-evaluations";
import { listImages } from "../queries/list-images";
import { listDatasets } from "../queries/list-datasets";
import { getVocabulary } from "../scene-graph/vocab";
import { importPredictions, PredictionSetExistsError } from "./import-predictions";
import { readAllJsonLines } from "../io/read-json-lines";
import { gtRecordSchema } from "../scene-graph/schemas";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";

const SAMPLE = path.resolve(__dirname, "../../data/sample");
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await ingestSource({
    databaseUrl: db.url,
    name: "real-sample",
    split: "val",
    source: { format: "records-jsonl", file: path.join(SAMPLE, "records.jsonl"), datasetType: "vg", withImages: false },
  });
});
afterAll(async () => {
  await db?.drop();
});

describe("import and evaluate on the real sample", () => {
  it("stores every answer raw with its parse result, and refuses a duplicate name", async () => {
    const r = await importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(SAMPLE, "predictions"), name: "examples" });
    expect(r.imported).toBe(5);
    expect(r.failed).toBeGreaterThanOrEqual(1);
    const failed = await db.prisma.prediction.findMany({ where: { predictionSetId: r.predictionSetId, parseOk: false } });
    expect(failed.every((p) => p.failureKind !== null && p.failureMessage)).toBe(true);
    await expect(importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(SAMPLE, "predictions"), name: "examples" })).rejects.toBeInstanceOf(PredictionSetExistsError);
  });

  it("stores the same figures the file-based evaluation computes, with per-image and per-predicate rows", async () => {
    const set = await db.prisma.predictionSet.findFirstOrThrow({ where: { name: "examples" } });
    const { evaluationId, report } = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
    // The same evaluation straight from the files: the database round trip must not change a number.
    const dir = await mkdtemp(path.join(tmpdir(), "sgg-sample-"));
    const gtRows = await readAllJsonLines(path.join(SAMPLE, "records.jsonl"), gtRecordSchema);
    await writeFile(path.join(dir, "gt.jsonl"), gtRows.map((r) => JSON.stringify(r.value)).join("\n"));
    const fromFiles = await evaluateFiles({ gtFile: path.join(dir, "gt.jsonl"), predictions: path.join(SAMPLE, "predictions"), datasetType: "vg" });
    expect(report.ngr).toEqual(fromFiles.report.ngr);
    expect(report.coco).toEqual(fromFiles.report.coco);
    expect(report.failure).toEqual(fromFiles.report.failure);

    const ev = await getEvaluation(db.prisma, evaluationId);
    expect(ev!.predicates).toHaveLength(50);
    expect(ev!.protocol).toMatchObject({ dataset_type: "vg", compat: [], dataset: "real-sample", split: "val" });
    expect((ev!.summary as { failure: { failed: number } }).failure.failed).toBe(report.failure.failed);
    const rows = await db.prisma.evaluationImage.findMany({ where: { evaluationId } });
    expect(rows).toHaveLength(5);
    expect(rows.reduce((n, r) => n + r.ngrHits, 0) / rows.reduce((n, r) => n + r.gtRelations, 0)).toBeCloseTo(report.ngr.recall, 12);

    // Re-evaluating with the same protocol replaces, with another protocol adds.
    await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
    await evaluatePredictionSet(db.prisma, { predictionSetId: set.id, compat: ["coco-id0"] });
    expect((await listEvaluations(db.prisma, { predictionSetId: set.id })).map((e) => e.compatKey).sort()).toEqual(["", "coco-id0"]);
  });

  it("evaluates a set that covers part of the split on purpose against those images only", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "sgg-subset-"));
    const gtRows = await readAllJsonLines(path.join(SAMPLE, "records.jsonl"), gtRecordSchema);
    const two = gtRows.slice(0, 2).map((r) => r.value);
    // The ground truth itself, on the 0..1000 grid: every triplet of the two images is a hit.
    const grid = (r: (typeof two)[number], b: readonly number[]) => [b[0]! / r.width, b[1]! / r.height, b[2]! / r.width, b[3]! / r.height].map((v) => Math.round(v * 1000));
    const answer = (r: (typeof two)[number]) => JSON.stringify({ objects: r.objects.map((o) => ({ id: o.id, bbox: grid(r, o.bbox) })), relationships: r.relationships });
    await writeFile(path.join(dir, "p.jsonl"), two.map((r) => JSON.stringify({ image_id: r.image_id, response: answer(r), box_scale: [1000, 1000] })).join("\n"));
    const whole = await importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(dir, "p.jsonl"), name: "two-whole" });
    const part = await importPredictions(db.prisma, { dataset: "real-sample", split: "val", from: path.join(dir, "p.jsonl"), name: "two-subset" });
    await db.prisma.predictionSet.update({ where: { id: part.predictionSetId }, data: { settings: { scope: "subset" } } });
    const a = await evaluatePredictionSet(db.prisma, { predictionSetId: whole.predictionSetId });
    const b = await evaluatePredictionSet(db.prisma, { predictionSetId: part.predictionSetId });
    expect(a.report.protocol.gt_images).toBe(gtRows.length);
    expect(b.report.protocol.gt_images).toBe(2);
    const triplets = two.reduce((n, r) => n + r.relationships.length, 0);
    expect(b.report.protocol.gt_triplets).toBe(triplets);
    expect(b.report.ngr.recall).toBeGreaterThan(a.report.ngr.recall);
    expect(await db.prisma.evaluationImage.count({ where: { evaluationId: b.evaluationId } })).toBe(2);
  });

  it("pages and filters images, and explains one image", async () => {
    const [ds] = await listDatasets(db.prisma);
    const split = ds!.splits[0]!;
    expect(split.imageCount).toBe(5);
    const page1 = await listImages(db.prisma, { splitId: split.id, limit: 2 });
    const page2 = await listImages(db.prisma, { splitId: split.id, limit: 2, cursor: page1.nextCursor! });
    const page3 = await listImages(db.prisma, { splitId: split.id, limit: 2, cursor: page2.nextCursor! });
    expect([...page1.items, ...page2.items, ...page3.items].map((i) => i.id)).toEqual((await db.prisma.image.findMany({ orderBy: { id: "asc" } })).map((i) => i.id));
    expect(page3.nextCursor).toBeNull();

    const someObject = await db.prisma.gtObject.findFirstOrThrow({ where: { splitId: split.id } });
    const byClass = await listImages(db.prisma, { splitId: split.id, classId: someObject.classId });
    const withClass = await db.prisma.image.findMany({ where: { splitId: split.id, objects: { some: { classId: someObject.classId } } } });
    expect(byClass.items.map((i) => i.id).sort()).toEqual(withClass.map((i) => i.id).sort());

    const set = await db.prisma.predictionSet.findFirstOrThrow({ where: { name: "examples" } });
    const failing = await listImages(db.prisma, { splitId: split.id, predictionSetId: set.id, hasFailure: true });
    expect(failing.items.length).toBe(set.failedCount);

    const [ev] = await listEvaluations(db.prisma, { predictionSetId: set.id });
    const sorted = await listImages(db.prisma, { splitId: split.id, evaluationId: ev!.id, sort: "recall_desc" });
    const recalls = sorted.items.map((i) => i.recall).filter((r) => r !== null) as number[];
    expect(recalls).toEqual([...recalls].sort((a, b) => b - a));

    const detail = await getImage(db.prisma, sorted.items[0]!.id, [set.id]);
    expect(detail!.predictions).toHaveLength(1);
    const p = detail!.predictions[0]!;
    expect(p.diagnosis.gt).toHaveLength(detail!.gt.relationships.length);
    const stored = await db.prisma.evaluationImage.findUniqueOrThrow({ where: { evaluationId_imageId: { evaluationId: ev!.id, imageId: detail!.id } } });
    expect(p.diagnosis.gt.map((d) => d.hit)).toEqual(stored.tripletHits);
    expect(getVocabulary("vg").classIds).toHaveLength(150);
  });
});
