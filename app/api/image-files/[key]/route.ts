import { readFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/server/env";
import { ImageStore } from "@/server/ingest/image-store";

// Only content hashes reach the store: no path can be smuggled through the key.
const KEY = /^[0-9a-f]{64}$/;

/** Serves an image (or `?thumb=1` its thumbnail) from the content-addressed store, cached for good. */
export async function GET(request: Request, ctx: { params: Promise<{ key: string }> }) {
  const { key } = await ctx.params;
  if (!KEY.test(key)) return new Response("not found", { status: 404 });
  const store = new ImageStore(path.join(env().storage.dataDir, "store"));
  const thumb = new URL(request.url).searchParams.get("thumb") === "1";
  try {
    const bytes = await readFile(thumb ? store.thumbPath(key) : store.imagePath(key));
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": thumb ? "image/webp" : sniffType(bytes),
        // Content-addressed: the bytes behind a key never change.
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      },
    });
  } catch {
    return new Response("not found", { status: 404 });
  }
}

function sniffType(b: Buffer): string {
  if (b[0] === 0x89 && b[1] === 0x50) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8) return "image/jpeg";
  if (b[0] === 0x52 && b[1] === 0x49) return "image/webp";
  return "application/octet-stream";
}
