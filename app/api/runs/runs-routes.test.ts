import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/db/test-database";
import { stopQueues } from "@/server/jobs/queue";
import { POST as cancel } from "./[id]/cancel/route";
import { GET as logs } from "./[id]/logs/route";
import { GET as metrics } from "./[id]/metrics/route";
import { POST as resume } from "./[id]/resume/route";
import { GET as rollouts } from "./[id]/rollouts/route";
import { GET as one } from "./[id]/route";
import { GET as list, POST as create } from "./route";

const HOST = "127.0.0.1:3240";
const TOKEN = "runs-route-test-token-0123456789";
let db: TestDatabase;
let splitId: number;

// The routes read env() and getPrisma() without arguments: point both at this file's database first.
beforeAll(async () => {
  db = await createTestDatabase();
  vi.stubEnv("DATABASE_URL", db.url);
  vi.stubEnv("SGG_ADMIN_TOKEN", TOKEN);
  vi.stubEnv("SGG_PUBLIC_READ", "false");
  vi.stubEnv("SGG_DATA_DIR", await mkdtemp(path.join(tmpdir(), "sgg-runs-routes-")));
  const ds = await db.prisma.dataset.create({ data: { name: "shapes", format: "synthetic", datasetType: "vg", source: "test" } });
  splitId = (await db.prisma.split.create({ data: { datasetId: ds.id, name: "train", fingerprint: "a", status: "ready", imageCount: 4 } })).id;
});
afterAll(async () => {
  await stopQueues();
  vi.unstubAllEnvs();
  await db?.drop();
});

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, url: string, init: { body?: unknown; params?: Record<string, string>; auth?: boolean } = {}) {
  const headers: Record<string, string> = { host: HOST, "content-type": "application/json" };
  if (init.auth !== false) headers.authorization = `Bearer ${TOKEN}`;
  const request = new Request(`http://${HOST}${url}`, { method: init.body === undefined && !url.match(/cancel|resume/) ? "GET" : "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const form = (over: Record<string, unknown> = {}) => ({ name: "route run", kind: "sft", model: { family: "tiny", options: { d_model: 32, n_heads: 2 } }, splitId, maxSteps: 3, ...over });

describe("run routes", () => {
  it("refuses to start a run without a sign-in", async () => {
    const r = await call(create, "/api/runs", { body: form(), auth: false });
    expect(r.status).toBe(401);
  });

  it("names the field the schema rejects (400) and the split that is not there (422)", async () => {
    const bad = await call(create, "/api/runs", { body: form({ name: "", groupSize: 1 }) });
    expect(bad.status).toBe(400);
    expect((bad.json.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(["groupSize", "name"]);
    const missing = await call(create, "/api/runs", { body: form({ splitId: splitId + 99 }) });
    expect(missing.status).toBe(422);
    expect(missing.json.fields).toEqual([{ field: "splitId", message: expect.stringContaining(String(splitId + 99)) }]);
  });

  it("starts a run (201), lists it and shows it; cancels and resumes it", async () => {
    const r = await call(create, "/api/runs", { body: form() });
    expect(r.status).toBe(201);
    const runId = r.json.runId as number;
    expect(r.json.jobId).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await call(list, "/api/runs?kind=sft");
    expect((listed.json.runs as { id: number; status: string }[]).find((x) => x.id === runId)).toMatchObject({ status: "queued", model: "tiny" });
    const shown = await call(one, `/api/runs/${runId}`, { params: { id: String(runId) } });
    expect(shown.json).toMatchObject({ id: runId, name: "route run", kind: "sft", status: "queued", split: { label: "shapes/train" }, job: { status: "queued" } });

    // Nobody runs the job here: cancelling a queued run stops it at once.
    const c = await call(cancel, `/api/runs/${runId}/cancel`, { params: { id: String(runId) } });
    expect(c).toMatchObject({ status: 200, json: { status: "cancelled", requested: true } });
    const again = await call(resume, `/api/runs/${runId}/resume`, { params: { id: String(runId) } });
    expect(again.status).toBe(200);
    expect(again.json.jobId).not.toBe(r.json.jobId);
    const twice = await call(resume, `/api/runs/${runId}/resume`, { params: { id: String(runId) } });
    expect(twice.status).toBe(409);
  });

  it("answers 404 for a run that does not exist, on every run route", async () => {
    const params = { id: "999999" };
    expect((await call(one, "/api/runs/999999", { params })).status).toBe(404);
    expect((await call(metrics, "/api/runs/999999/metrics", { params })).status).toBe(404);
    expect((await call(rollouts, "/api/runs/999999/rollouts", { params })).status).toBe(404);
    expect((await call(logs, "/api/runs/999999/logs", { params })).status).toBe(404);
    expect((await call(cancel, "/api/runs/999999/cancel", { params })).status).toBe(404);
  });

  it("serves metrics after a step for the names asked, and rejects a bad step", async () => {
    const run = await db.prisma.run.create({ data: { name: "m", kind: "grpo", config: {}, runDir: "/tmp/m" } });
    await db.prisma.metricPoint.createMany({ data: [1, 2, 3].flatMap((step) => [{ runId: run.id, step, name: "loss", value: step }, { runId: run.id, step, name: "lr", value: 0.1 }]) });
    const params = { id: String(run.id) };
    const m = await call(metrics, `/api/runs/${run.id}/metrics?names=loss&since=1`, { params });
    expect(m.json).toEqual({ runId: run.id, series: { loss: { steps: [2, 3], values: [2, 3] } }, maxStep: 3 });
    expect((await call(rollouts, `/api/runs/${run.id}/rollouts?step=abc`, { params })).status).toBe(400);
    expect((await call(rollouts, `/api/runs/${run.id}/rollouts`, { params })).json).toEqual({ steps: [], step: null, groups: [] });
  });
});
