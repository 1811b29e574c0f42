import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSgg } from "../testing/run-sgg";
import { createTestDatabase, type TestDatabase } from "../../server/db/test-database";

const SAMPLE = path.resolve(__dirname, "../../data/sample/records.jsonl");
let db: TestDatabase;
let dir: string;

const sgg = (args: string[]) => runSgg(args, { DATABASE_URL: db.url, SGG_DATA_DIR: path.join(dir, "data") });

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "sgg-cli-export-"));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("sgg export", () => {
  it("exports the sample as VG150 files that `sgg ingest vg150-h5` reads back", async () => {
    expect((await sgg(["ingest", "records", "--name", "sample", "--split", "val", "--file", SAMPLE])).code).toBe(0);
    const out = path.join(dir, "vg150");
    const r = await sgg(["export", "--split", "sample/val", "--format", "vg150", "--out", out, "--renumber-images"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sample\/val → .*: 5 images \(5 pictures\)/);
    expect((await readdir(path.join(out, "VG_100K"))).sort()).toEqual(["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg"]);
    const back = await sgg(["ingest", "vg150-h5", "--name", "back", "--split", "val", "--h5", path.join(out, "VG-SGG-with-attri.h5"), "--dict", path.join(out, "VG-SGG-dicts-with-attri.json"), "--image-data", path.join(out, "image_data.json"), "--images", path.join(out, "VG_100K")]);
    expect(back.code, back.stderr).toBe(0);
    const counts = async (name: string) => db.prisma.split.findFirstOrThrow({ where: { dataset: { name } }, select: { imageCount: true, objectCount: true, relationCount: true } });
    expect(await counts("back")).toEqual(await counts("sample"));
  });

  it("answers a malformed --split with a usage error and an occupied folder with exit 3", async () => {
    const bad = await sgg(["export", "--split", "sample/", "--format", "jsonl", "--out", path.join(dir, "x")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("<dataset>/<split>");
    const occupied = await sgg(["export", "--split", "sample/val", "--format", "jsonl", "--out", path.join(dir, "vg150")]);
    expect(occupied.code).toBe(3);
    expect(occupied.stderr).toContain("is not empty");
  });
});
