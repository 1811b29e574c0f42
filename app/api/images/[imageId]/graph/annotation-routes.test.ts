import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedAnnotationSplit } from "@/server/annotation/annotation-fixtures";
import { evaluatePredictionSet } from "@/server/evaluation/evaluate-prediction-set";
import { createTestDatabase, type TestDatabase } from "@/server/db/test-database";
import { stopQueues } from "@/server/jobs/queue";
import { POST as reevaluate } from "../../../evaluations/[id]/reevaluate/route";
import { POST as revert } from "../revisions/[number]/revert/route";
import { GET as revision } from "../revisions/[number]/route";
import { GET as revisions } from "../revisions/route";
import { GET as reviews, POST as review } from "../reviews/route";
import { GET as getGraph, PUT as putGraph } from "./route";

const HOST = "127.0.0.1:3241";
const TOKEN = "annotation-route-test-token-0123";
let db: TestDatabase;
let splitId: number;
let imageA: number;
let imageB: number;

// The routes read env() and getPrisma() without arguments: point both at this file's database first.
beforeAll(async () => {
  db = await createTestDatabase();
  vi.stubEnv("DATABASE_URL", db.url);
  vi.stubEnv("SGG_ADMIN_TOKEN", TOKEN);
  vi.stubEnv("SGG_PUBLIC_READ", "false");
  vi.stubEnv("SGG_DATA_DIR", await mkdtemp(path.join(tmpdir(), "sgg-annotation-routes-")));
  const seeded = await seedAnnotationSplit(db, "routes");
  splitId = seeded.splitId;
  [imageA, imageB] = seeded.imageIds as [number, number];
});
afterAll(async () => {
  await stopQueues();
  vi.unstubAllEnvs();
  await db?.drop();
});

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, method: string, url: string, init: { body?: unknown; params?: Record<string, string>; auth?: boolean } = {}) {
  const headers: Record<string, string> = { host: HOST, "content-type": "application/json" };
  if (init.auth !== false) headers.authorization = `Bearer ${TOKEN}`;
  const request = new Request(`http://${HOST}${url}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const graph = {
  objects: [
    { id: "person.1", bbox: [12, 20, 110, 300] },
    { id: "street.1", bbox: [0, 250, 641, 480] },
  ],
  relationships: [{ subject: "person.1", predicate: "standing on", object: "street.1" }],
};

describe("graph, revision and review routes", () => {
  it("reads the graph, saves it, refuses a stale save with the current revision, and names bad fields", async () => {
    const params = { imageId: String(imageA) };
    const got = await call(getGraph, "GET", `/api/images/${imageA}/graph`, { params });
    expect(got.json).toMatchObject({ imageId: imageA, revision: 0, width: 640, height: 480, graph: { objects: [{ id: "person.1" }, { id: "street.1" }] } });

    expect((await call(putGraph, "PUT", `/api/images/${imageA}/graph`, { params, body: { baseRevision: 0, ...graph }, auth: false })).status).toBe(401);
    const saved = await call(putGraph, "PUT", `/api/images/${imageA}/graph`, { params, body: { baseRevision: 0, ...graph, message: "standing" } });
    expect(saved).toMatchObject({ status: 200, json: { revision: 2, splitVersion: 1, warnings: [] } });

    const stale = await call(putGraph, "PUT", `/api/images/${imageA}/graph`, { params, body: { baseRevision: 0, objects: [], relationships: [] } });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: "conflict", current: { revision: 2, authorName: "admin token", ...graph } });
    expect(typeof (stale.json.current as { createdAt: unknown }).createdAt).toBe("string");

    const badShape = await call(putGraph, "PUT", `/api/images/${imageA}/graph`, { params, body: { baseRevision: 2, objects: [{ id: "person.1", bbox: [1, 2, 3] }], relationships: [] } });
    expect(badShape.status).toBe(400);
    expect((badShape.json.fields as { field: string }[]).map((f) => f.field)).toEqual(["objects.0.bbox"]);
    const badRule = await call(putGraph, "PUT", `/api/images/${imageA}/graph`, { params, body: { baseRevision: 2, objects: graph.objects, relationships: [{ subject: "person.9", predicate: "on", object: "street.1" }] } });
    expect(badRule.status).toBe(400);
    expect(badRule.json.fields).toEqual([{ field: "relationships.0.subject", message: expect.stringContaining("person.9") }]);

    expect((await call(getGraph, "GET", "/api/images/999999/graph", { params: { imageId: "999999" } })).status).toBe(404);
  });

  it("lists revisions, shows one, and reverts to it", async () => {
    const params = { imageId: String(imageA) };
    const list = await call(revisions, "GET", `/api/images/${imageA}/revisions`, { params });
    expect((list.json as unknown as { number: number; kind: string; objectCount: number }[]).map((r) => [r.number, r.kind, r.objectCount])).toEqual([[2, "edit", 2], [1, "import", 2]]);
    const one = await call(revision, "GET", `/api/images/${imageA}/revisions/1`, { params: { ...params, number: "1" } });
    expect(one.json).toMatchObject({ number: 1, kind: "import", authorName: "dataset", relationships: [{ predicate: "on" }] });
    expect((await call(revision, "GET", `/api/images/${imageA}/revisions/9`, { params: { ...params, number: "9" } })).status).toBe(404);

    const reverted = await call(revert, "POST", `/api/images/${imageA}/revisions/1/revert`, { params: { ...params, number: "1" }, body: { baseRevision: 2 } });
    expect(reverted).toMatchObject({ status: 200, json: { revision: 3 } });
    const again = await call(revert, "POST", `/api/images/${imageA}/revisions/1/revert`, { params: { ...params, number: "1" }, body: { baseRevision: 2 } });
    expect(again.status).toBe(409);
    expect((await call(getGraph, "GET", `/api/images/${imageA}/graph`, { params })).json).toMatchObject({ revision: 3, graph: { relationships: [{ predicate: "on" }] } });
  });

  it("accepts and flags triplets, and refuses a triplet that is not there", async () => {
    const params = { imageId: String(imageB) };
    const accepted = await call(review, "POST", `/api/images/${imageB}/reviews`, {
      params,
      body: { baseRevision: 0, kind: "accepted", triplet: { subject: "dog.1", predicate: "on", object: "dog.1x" }, objects: [{ id: "dog.1x", bbox: [0, 0, 10, 10] }] },
    });
    // "dog.1x" is not <class>.<n>: the rule names the new object.
    expect(accepted.status).toBe(400);
    expect((accepted.json.fields as { field: string }[])[0]!.field).toMatch(/^objects\.1\.id$/);
    // The model's dog.1 is another dog than ground truth's dog.1: it comes in as dog.2.
    const ok = await call(review, "POST", `/api/images/${imageB}/reviews`, {
      params,
      body: { baseRevision: 0, kind: "accepted", triplet: { subject: "cat.1", predicate: "near", object: "dog.1" }, objects: [{ id: "cat.1", bbox: [300, 300, 400, 400] }, { id: "dog.1", bbox: [100, 100, 200, 200] }] },
    });
    expect(ok).toMatchObject({ status: 200, json: { revision: 2, triplet: { subject: "cat.1", predicate: "near", object: "dog.2" }, renamed: { "dog.1": "dog.2" } } });
    const missing = await call(review, "POST", `/api/images/${imageB}/reviews`, { params, body: { baseRevision: 2, kind: "flagged", triplet: { subject: "dog.1", predicate: "near", object: "dog.2" } } });
    expect(missing).toMatchObject({ status: 400, json: { fields: [{ field: "triplet" }] } });
    const flagged = await call(review, "POST", `/api/images/${imageB}/reviews`, { params, body: { baseRevision: 2, kind: "flagged", triplet: { subject: "cat.1", predicate: "near", object: "dog.2" } } });
    expect(flagged).toMatchObject({ status: 200, json: { revision: 3 } });
    const listed = await call(reviews, "GET", `/api/images/${imageB}/reviews`, { params });
    expect((listed.json as unknown as { kind: string; revisionNumber: number }[]).map((r) => [r.kind, r.revisionNumber])).toEqual([["flagged", 3], ["accepted", 2]]);
  });

  it("re-evaluates an evaluation against the current GT version, once", async () => {
    const set = await db.prisma.predictionSet.create({ data: { name: "route set", splitId, origin: "import" } });
    // As it would have been stored before the edits above.
    const old = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id, gtVersion: 0 });
    const params = { id: String(old.evaluationId) };
    const r = await call(reevaluate, "POST", `/api/evaluations/${old.evaluationId}/reevaluate`, { params });
    const current = (await db.prisma.split.findUniqueOrThrow({ where: { id: splitId } })).gtVersion;
    expect(r).toMatchObject({ status: 200, json: { predictionSetId: set.id, gtVersion: current } });
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: r.json.jobId as string } })).payload).toEqual({ predictionSetId: set.id, gtVersion: current });
    const fresh = await evaluatePredictionSet(db.prisma, { predictionSetId: set.id });
    expect((await call(reevaluate, "POST", `/api/evaluations/${fresh.evaluationId}/reevaluate`, { params: { id: String(fresh.evaluationId) } })).status).toBe(409);
    expect((await call(reevaluate, "POST", "/api/evaluations/999999/reevaluate", { params: { id: "999999" } })).status).toBe(404);
  });
});
