import type { SourceRecord } from "../ingest/source-record";

/**
 * One line of the project's record format (what `readRecordsJsonl` reads), without the newline:
 * `{"image_id", "width", "height", "objects": [{"id", "bbox"}], "relationships": [{"subject",
 * "predicate", "object"}], "image"?}` with boxes in original-image pixels `[x1, y1, x2, y2]` and `image`
 * a path relative to the JSONL file's folder.
 */
export function recordLine(r: SourceRecord, imagePath?: string): string {
  return JSON.stringify({
    image_id: r.imageId,
    width: r.width,
    height: r.height,
    objects: r.objects.map((o) => ({ id: o.id, bbox: o.bbox })),
    relationships: r.relationships.map((x) => ({ subject: x.subject, predicate: x.predicate, object: x.object })),
    ...(imagePath ? { image: imagePath } : {}),
  });
}
