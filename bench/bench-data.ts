/**
 * Data-layer figures for `npm run bench`: ingest of a generated 100,000-image annotation set (no image
 * bytes) and the p95 of paging queries with a class filter at that size, on a fresh database of the test
 * server (TEST_DATABASE_URL, the local PostgreSQL, or a throw-away embedded one).
 */
import pg from "pg";
import { getPrisma, disconnectAll } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { resolveTestServer } from "../server/db/test-server";
import { ingestSplit } from "../server/ingest/ingest-split";
import type { SourceRecord } from "../server/ingest/source-record";
import { listImages } from "../server/queries/list-images";
import { generateSplit } from "../server/synthetic/generate-split";
import { createRng, pick } from "../server/synthetic/random";
import { importPredictions } from "../server/predictions/import-predictions";
import { benchImageDetail, benchImagePage } from "./bench-ui";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const log = (s: string) => process.stdout.write(s + "\n");

async function* generatedRecords(images: number): AsyncGenerator<SourceRecord> {
  // Generated in chunks so 100,000 records never sit in memory at once.
  for (let start = 0; start < images; start += 5000) {
    const chunk = generateSplit({ images: Math.min(5000, images - start), seed: 1000 + start });
    for (let i = 0; i < chunk.gt.length; i++) {
      const r = chunk.gt[i]!;
      yield { imageId: String(start + i), split: "train", width: r.width, height: r.height, objects: r.objects, relationships: r.relationships, origin: `generated#${start + i}` };
    }
  }
}

export async function benchData(images = 100_000): Promise<{ ingestSeconds: number; p95Ms: number; detailP95Ms: number; pageMs: number | null }> {
  const server = await resolveTestServer(process.env, (m) => log(`  ${m}`));
  const name = `sgg_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(server.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  try {
    await applyMigrations(url);
    // The page figure first, on the fresh database: right after a 1.7 M-row ingest the server is busy
    // vacuuming and analysing, which says nothing about the page.
    const pageMs = await benchImagePage(url, getPrisma(url));
    const t0 = performance.now();
    const r = await ingestSplit({ databaseUrl: url, dataset: { name: "bench", format: "synthetic", datasetType: "vg", source: "bench" }, split: "train", fingerprint: "bench", records: generatedRecords(images), batchSize: 5000 });
    const ingestSeconds = (performance.now() - t0) / 1000;
    log(`\nIngest of a generated annotation set (no image bytes), target under 60 s`);
    log(`  ${r.images.toLocaleString("en")} images, ${r.objects.toLocaleString("en")} objects, ${r.relations.toLocaleString("en")} relations in ${ingestSeconds.toFixed(1)} s (${Math.round(r.objects / ingestSeconds).toLocaleString("en")} objects/s, generation included)`);

    const prisma = getPrisma(url);
    const rng = createRng(5);
    const classes = Array.from({ length: 150 }, (_, i) => i + 1);
    const times: number[] = [];
    const timed = async (query: Parameters<typeof listImages>[1]) => {
      const t = performance.now();
      const page = await listImages(prisma, query);
      times.push(performance.now() - t);
      return page;
    };
    await listImages(prisma, { splitId: r.splitId, classId: 1, limit: 100 }); // warm-up: connection and plan cache
    for (let i = 0; i < 200; i++) {
      const classId = pick(rng, classes);
      let page = await timed({ splitId: r.splitId, classId, limit: 100 });
      // Every fourth query follows the cursor a few pages deep, as a person scrolling would.
      if (i % 4 === 0) for (let k = 0; k < 3 && page.nextCursor; k++) page = await timed({ splitId: r.splitId, classId, limit: 100, cursor: page.nextCursor });
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length * 0.5)]!;
    const p95Ms = times[Math.floor(times.length * 0.95)]!;
    log(`Paging 100 images with a class filter at ${r.images.toLocaleString("en")} images (${times.length} page queries, random classes), target p95 under 50 ms`);
    log(`  p50 ${p50.toFixed(1)} ms, p95 ${p95Ms.toFixed(1)} ms`);

    // Answers for the first 5,000 images (the same generator's), for the image-detail figure.
    const answers = generateSplit({ images: 5000, seed: 1000 }).predictions.map((p, i) => JSON.stringify({ ...p, image_id: String(i) }));
    const dir = await mkdtemp(path.join(tmpdir(), "sgg-bench-"));
    await writeFile(path.join(dir, "answers.jsonl"), answers.join("\n"));
    const imp = await importPredictions(prisma, { dataset: "bench", split: "train", from: path.join(dir, "answers.jsonl"), name: "bench-answers" });
    await rm(dir, { recursive: true, force: true });
    const answered = (await prisma.prediction.findMany({ where: { predictionSetId: imp.predictionSetId }, select: { imageId: true } })).map((p) => p.imageId);
    log("");
    const detailP95Ms = await benchImageDetail(prisma, r.splitId, imp.predictionSetId, answered);
    return { ingestSeconds, p95Ms, detailP95Ms, pageMs };
  } finally {
    await disconnectAll();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}
