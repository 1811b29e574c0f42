import { createHash } from "node:crypto";

/** File extension of an encoded picture from its magic bytes. */
export function imageExtension(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "jpg";
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46) return "webp";
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return "gif";
  return "bin";
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * A file name for an image's picture: `<image id>.<ext>` when the id is a plain name, else a hash of the
 * id, so that no id (with slashes, dots or odd characters) can name a path outside the export folder.
 */
export function imageFileName(imageId: string, bytes: Uint8Array): string {
  const base = SAFE.test(imageId) ? imageId : `id-${createHash("sha256").update(imageId).digest("hex").slice(0, 24)}`;
  return `${base}.${imageExtension(bytes)}`;
}
