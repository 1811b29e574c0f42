import { readFile } from "node:fs/promises";
import type { PrismaClient } from "../db/generated/client";
import { ImageStore } from "../ingest/image-store";
import { ExportError } from "./export-error";

/** The encoded picture of a split's image by the dataset's image id, or undefined when none was stored. */
export type ImageLookup = (imageId: string) => Promise<Uint8Array | undefined>;

/**
 * Looks pictures up in the content-addressed image store through the split's Image rows. A row that
 * names a picture the store has lost is an error, not a silent image-less record.
 */
export async function splitImageLookup(prisma: PrismaClient, splitId: number, storeRoot: string): Promise<ImageLookup> {
  const rows = await prisma.image.findMany({ where: { splitId, storageKey: { not: null } }, select: { imageKey: true, storageKey: true } });
  const keys = new Map(rows.map((r) => [r.imageKey, r.storageKey!]));
  const store = new ImageStore(storeRoot);
  return async (imageId) => {
    const key = keys.get(imageId);
    if (key === undefined) return undefined;
    // Only content hashes reach the store path.
    if (!/^[0-9a-f]{64}$/.test(key)) throw new ExportError(`image "${imageId}" has a malformed storage key`);
    try {
      return new Uint8Array(await readFile(store.imagePath(key)));
    } catch {
      throw new ExportError(`the picture of image "${imageId}" is missing from the image store (${store.imagePath(key)})`);
    }
  };
}
