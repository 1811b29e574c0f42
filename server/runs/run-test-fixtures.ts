/**
 * Test fixtures for the training-run tests: small rendered synthetic splits (real PNG bytes in an image
 * store) ingested into a test database. Not used by the product.
 */
import path from "node:path";
import { ImageStore } from "../ingest/image-store";
import { ingestSplit } from "../ingest/ingest-split";
import { renderDataset } from "../synthetic/render-dataset";

/** Renders `images` synthetic scenes (64 × 64 unless told) and ingests them as dataset/split; returns the split id. */
export async function ingestSyntheticSplit(o: {
  databaseUrl: string;
  dataDir: string;
  dataset: string;
  split: "train" | "val";
  images: number;
  seed?: number;
  size?: number;
}): Promise<number> {
  const r = await ingestSplit({
    databaseUrl: o.databaseUrl,
    dataset: { name: o.dataset, format: "synthetic", datasetType: "vg", source: "test" },
    split: o.split,
    fingerprint: `${o.dataset}-${o.split}-${o.images}-${o.seed ?? 1}`,
    records: renderDataset({ images: o.images, seed: o.seed ?? 1, split: o.split, width: o.size ?? 64, height: o.size ?? 64, classes: ["person", "tree", "car", "dog", "house"] }),
    store: new ImageStore(path.join(o.dataDir, "store")),
  });
  return r.splitId;
}
