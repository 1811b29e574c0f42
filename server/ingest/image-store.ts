import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

/** Longest side of a thumbnail, in pixels. */
export const THUMB_SIZE = 320;

/**
 * A content-addressed image store in a folder: `images/ab/<sha256>` holds the original bytes and
 * `thumbs/ab/<sha256>.webp` a thumbnail made once. The same picture ingested twice is stored once.
 */
export class ImageStore {
  constructor(readonly root: string) {}

  /** Path of the original bytes for a storage key. */
  imagePath(key: string): string {
    return path.join(this.root, "images", key.slice(0, 2), key);
  }

  thumbPath(key: string): string {
    return path.join(this.root, "thumbs", key.slice(0, 2), `${key}.webp`);
  }

  /** Stores the bytes (and their thumbnail) unless already there; returns the storage key. */
  async put(bytes: Uint8Array): Promise<string> {
    const key = createHash("sha256").update(bytes).digest("hex");
    const file = this.imagePath(key);
    if (!(await exists(file))) await atomicWrite(file, bytes);
    const thumb = this.thumbPath(key);
    if (!(await exists(thumb))) {
      const small = await sharp(bytes).resize(THUMB_SIZE, THUMB_SIZE, { fit: "inside", withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      await atomicWrite(thumb, small);
    }
    return key;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

// Write then rename, so a crash never leaves a half-written file under a valid key.
async function atomicWrite(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Unique per write: two records with the same picture may be stored concurrently.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}
