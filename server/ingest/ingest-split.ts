import pg from "pg";
import { cat } from "../scene-graph/text";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import type { ImageStore } from "./image-store";
import { DatasetFileError, type SourceRecord } from "./source-record";
import { validateSourceRecord } from "./validate-record";

export interface IngestTarget {
  readonly name: string;
  /** hf-parquet | vg150-h5 | records-jsonl | synthetic */
  readonly format: string;
  readonly datasetType: DatasetType;
  readonly source: string;
  readonly attribution?: string;
}

export interface IngestSplitOptions {
  readonly databaseUrl: string;
  readonly dataset: IngestTarget;
  readonly split: string;
  /** Identifies the input (files, sizes, options): the same fingerprint twice is a no-op. */
  readonly fingerprint: string;
  readonly records: AsyncIterable<SourceRecord>;
  /** Where image bytes go; records without bytes need none. */
  readonly store?: ImageStore;
  readonly batchSize?: number;
  readonly onProgress?: (images: number) => void;
}

export interface IngestSplitResult {
  readonly status: "ingested" | "unchanged";
  readonly splitId: number;
  readonly images: number;
  readonly objects: number;
  readonly relations: number;
}

/**
 * Ingests one split in a single transaction: a failure (a bad record, a crash) leaves nothing behind, and
 * a split is only ever visible whole. Rows go in with one `unnest` insert per table and batch. Re-ingesting
 * the same input (same fingerprint) changes nothing; a different input replaces the split.
 */
export async function ingestSplit(o: IngestSplitOptions): Promise<IngestSplitResult> {
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  try {
    const existing = await client.query<{ id: number; status: string; fingerprint: string; imageCount: number; objectCount: number; relationCount: number }>(
      `SELECT s.id, s.status, s.fingerprint, s."imageCount", s."objectCount", s."relationCount"
         FROM "Split" s JOIN "Dataset" d ON d.id = s."datasetId" WHERE d.name = $1 AND s.name = $2`,
      [o.dataset.name, o.split],
    );
    const prev = existing.rows[0];
    if (prev && prev.status === "ready" && prev.fingerprint === o.fingerprint) {
      return { status: "unchanged", splitId: prev.id, images: prev.imageCount, objects: prev.objectCount, relations: prev.relationCount };
    }
    await client.query("BEGIN");
    try {
      const result = await writeSplit(client, o);
      await client.query("COMMIT");
      await client.query(`ANALYZE "Image", "GtObject", "GtRelation"`);
      return result;
    } catch (e) {
      await client.query("ROLLBACK");
      throw e;
    }
  } finally {
    await client.end();
  }
}

async function writeSplit(client: pg.Client, o: IngestSplitOptions): Promise<IngestSplitResult> {
  const d = o.dataset;
  const ds = await client.query<{ id: number }>(
    `INSERT INTO "Dataset" (name, format, "datasetType", source, attribution) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET format = EXCLUDED.format, "datasetType" = EXCLUDED."datasetType",
       source = EXCLUDED.source, attribution = EXCLUDED.attribution RETURNING id`,
    [d.name, d.format, d.datasetType, d.source, d.attribution ?? ""],
  );
  const datasetId = ds.rows[0]!.id;
  await client.query(`DELETE FROM "Split" WHERE "datasetId" = $1 AND name = $2`, [datasetId, o.split]);
  const sp = await client.query<{ id: number }>(
    `INSERT INTO "Split" ("datasetId", name, status, fingerprint) VALUES ($1, $2, 'ingesting', $3) RETURNING id`,
    [datasetId, o.split, o.fingerprint],
  );
  const splitId = sp.rows[0]!.id;
  const vocab = getVocabulary(d.datasetType);
  const seen = new Map<string, string>();
  const totals = { images: 0, objects: 0, relations: 0 };
  let batch: SourceRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const keys = await Promise.all(batch.map((r) => (r.imageBytes && o.store ? o.store.put(r.imageBytes) : null)));
    await insertBatch(client, splitId, batch, keys, vocab, totals);
    totals.images += batch.length;
    o.onProgress?.(totals.images);
    batch = [];
  };
  for await (const r of o.records) {
    validateSourceRecord(r, d.datasetType);
    const first = seen.get(r.imageId);
    if (first !== undefined) throw new DatasetFileError(r.origin, `image_id ${r.imageId}`, `image_id appears twice (first at ${first})`);
    seen.set(r.imageId, r.origin);
    batch.push(r);
    if (batch.length >= (o.batchSize ?? 2000)) await flush();
  }
  await flush();
  await client.query(
    `UPDATE "Split" SET status = 'ready', "imageCount" = $2, "objectCount" = $3, "relationCount" = $4 WHERE id = $1`,
    [splitId, totals.images, totals.objects, totals.relations],
  );
  return { status: "ingested", splitId, ...totals };
}

async function insertBatch(
  client: pg.Client,
  splitId: number,
  batch: readonly SourceRecord[],
  storageKeys: readonly (string | null)[],
  vocab: ReturnType<typeof getVocabulary>,
  totals: { objects: number; relations: number },
): Promise<void> {
  const img = await client.query<{ id: number; imageKey: string }>(
    `INSERT INTO "Image" ("splitId", "imageKey", width, height, "storageKey", "objectCount", "relationCount")
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::int[], $7::int[])
     RETURNING id, "imageKey"`,
    [
      splitId,
      batch.map((r) => r.imageId),
      batch.map((r) => Math.round(r.width)),
      batch.map((r) => Math.round(r.height)),
      storageKeys,
      batch.map((r) => r.objects.length),
      batch.map((r) => r.relationships.length),
    ],
  );
  const rowId = new Map(img.rows.map((row) => [row.imageKey, row.id]));
  const ob = { imageId: [] as number[], idx: [] as number[], label: [] as string[], classId: [] as number[], x1: [] as number[], y1: [] as number[], x2: [] as number[], y2: [] as number[] };
  const rel = { imageId: [] as number[], idx: [] as number[], s: [] as number[], o: [] as number[], predicate: [] as string[], predicateId: [] as number[] };
  for (const r of batch) {
    const id = rowId.get(r.imageId)!;
    const firstIdx = new Map<string, number>();
    r.objects.forEach((obj, i) => {
      if (!firstIdx.has(obj.id)) firstIdx.set(obj.id, i);
      ob.imageId.push(id);
      ob.idx.push(i);
      ob.label.push(obj.id);
      ob.classId.push(vocab.gtClassId.get(cat(obj.id))!);
      ob.x1.push(obj.bbox[0]);
      ob.y1.push(obj.bbox[1]);
      ob.x2.push(obj.bbox[2]);
      ob.y2.push(obj.bbox[3]);
    });
    // Relation ends resolve to the first object with the id, as the evaluation does (f.3).
    r.relationships.forEach((x, i) => {
      rel.imageId.push(id);
      rel.idx.push(i);
      rel.s.push(firstIdx.get(x.subject)!);
      rel.o.push(firstIdx.get(x.object)!);
      rel.predicate.push(x.predicate);
      rel.predicateId.push(vocab.predicateId.get(x.predicate)!);
    });
  }
  if (ob.imageId.length) {
    await client.query(
      `INSERT INTO "GtObject" ("splitId", "imageId", idx, label, "classId", x1, y1, x2, y2)
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])`,
      [splitId, ob.imageId, ob.idx, ob.label, ob.classId, ob.x1, ob.y1, ob.x2, ob.y2],
    );
  }
  if (rel.imageId.length) {
    await client.query(
      `INSERT INTO "GtRelation" ("splitId", "imageId", idx, "subjectIdx", "objectIdx", predicate, "predicateId")
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[])`,
      [splitId, rel.imageId, rel.idx, rel.s, rel.o, rel.predicate, rel.predicateId],
    );
  }
  totals.objects += ob.imageId.length;
  totals.relations += rel.imageId.length;
}
