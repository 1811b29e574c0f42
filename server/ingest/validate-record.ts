import { checkGtVocabulary, gtGraphSchema } from "../scene-graph/schemas";
import type { DatasetType } from "../scene-graph/types";
import { DatasetFileError, type SourceRecord } from "./source-record";

/**
 * The ingest rules of method.md a.1 for one record: relations point to objects of the same image, boxes
 * are four finite numbers, classes and predicates are in the dataset's vocabulary, the size is positive.
 * Throws a `DatasetFileError` naming the record's origin.
 */
export function validateSourceRecord(r: SourceRecord, type: DatasetType): void {
  const [file, row] = splitOrigin(r.origin);
  const where = `${row ? `${row}, ` : ""}image_id ${r.imageId}`;
  if (!(r.width > 0 && r.height > 0)) throw new DatasetFileError(file, where, `image size ${r.width}×${r.height} is not positive`);
  const parsed = gtGraphSchema.safeParse({ objects: r.objects, relationships: r.relationships });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DatasetFileError(file, where, `${issue.path.join(".")}: ${issue.message}`);
  }
  const problems = checkGtVocabulary({ image_id: r.imageId, width: r.width, height: r.height, objects: r.objects, relationships: r.relationships }, type);
  if (problems.length) throw new DatasetFileError(file, where, problems.join("; "));
}

function splitOrigin(origin: string): [string, string | undefined] {
  const i = origin.lastIndexOf("#");
  return i < 0 ? [origin, undefined] : [origin.slice(0, i), `row ${origin.slice(i + 1)}`];
}
