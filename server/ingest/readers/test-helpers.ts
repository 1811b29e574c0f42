import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { DatasetFileError, type SourceRecord } from "../source-record";

/** All records of a reader. */
export async function collect(gen: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

/** The `DatasetFileError` a reader stops with (fails the test when it ends without one). */
export async function errorOf(gen: AsyncIterable<SourceRecord>): Promise<DatasetFileError> {
  try {
    await collect(gen);
  } catch (e) {
    if (e instanceof DatasetFileError) return e;
    throw new Error(`expected a DatasetFileError, got ${String(e)}`);
  }
  throw new Error("expected a DatasetFileError, but the reader finished");
}

/** A small solid-colour image. */
export async function makeImage(width: number, height: number, format: "jpeg" | "png" = "jpeg"): Promise<Uint8Array> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 30 } } });
  return new Uint8Array(await (format === "jpeg" ? img.jpeg() : img.png()).toBuffer());
}

/** A fresh temporary folder and its clean-up. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
