import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/db/test-database";
import { ingestSource } from "@/server/ingest/ingest-source";
import { collect } from "@/server/ingest/readers/test-helpers";
import { readRecordsJsonl } from "@/server/ingest/readers/records-jsonl";
import { graphsAtVersion } from "@/server/annotation/graphs-at-version";
import { GET } from "./route";

const HOST = "127.0.0.1:3241";
const TOKEN = "export-route-test-token-0123456789";
let db: TestDatabase;
let dir: string;
let splitId: number;

// The route reads env() and getPrisma() without arguments: point both at this file's database first.
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "sgg-export-route-"));
  vi.stubEnv("DATABASE_URL", db.url);
  vi.stubEnv("SGG_ADMIN_TOKEN", TOKEN);
  vi.stubEnv("SGG_PUBLIC_READ", "false");
  vi.stubEnv("SGG_DATA_DIR", dir);
  splitId = (await ingestSource({ databaseUrl: db.url, name: "syn", split: "val", source: { format: "synthetic", images: 150, seed: 2 } })).splitId;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const get = (query: string, id = String(splitId)) =>
  GET(new Request(`http://${HOST}/api/splits/${id}/export${query}`, { headers: { host: HOST, authorization: `Bearer ${TOKEN}` } }), { params: Promise.resolve({ splitId: id }) });

describe("GET /api/splits/[splitId]/export", () => {
  it("streams every image's graph as JSONL that the records reader reads back unchanged", async () => {
    const res = await get("?format=jsonl");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="syn-val-v0.jsonl"');
    const file = path.join(dir, "download.jsonl");
    await writeFile(file, await res.text());
    const back = await collect(readRecordsJsonl(file, { datasetType: "vg", split: "val", withImages: false }));
    const stored = await collect(graphsAtVersion(db.prisma, splitId, 0));
    expect(back).toHaveLength(150);
    expect(back.map(({ imageId, width, height, objects, relationships }) => ({ imageId, width, height, objects, relationships }))).toEqual(
      stored.map(({ imageId, width, height, objects, relationships }) => ({ imageId, width, height, objects, relationships })),
    );
  });

  it("sends parquet and VG150 to the command line (400), an unknown split to 404", async () => {
    const pq = await get("?format=parquet");
    expect(pq.status).toBe(400);
    expect(((await pq.json()) as { fields: { message: string }[] }).fields[0]!.message).toContain("sgg export");
    expect((await get("", String(splitId + 99))).status).toBe(404);
  });

  it("refuses anonymous downloads when reads are private", async () => {
    const res = await GET(new Request(`http://${HOST}/api/splits/${splitId}/export`, { headers: { host: HOST } }), { params: Promise.resolve({ splitId: String(splitId) }) });
    expect(res.status).toBe(401);
  });
});
