import { cat } from "../scene-graph/text";
import type { DatasetType } from "../scene-graph/types";
import { getVocabulary } from "../scene-graph/vocab";
import { DatasetFileError, type SourceRecord } from "./source-record";

const ID_RE = /^[^.]+\.[1-9]\d*$/;

/**
 * The ingest rules of method.md a.1 for one record: the size is positive, ids are `<class>.<n>` of the
 * dataset's classes, boxes are four finite numbers, relations name objects of the same image with a
 * dataset predicate. Throws a `DatasetFileError` naming the record's origin. Hand-written rather than a
 * schema: it runs for every record of a 100,000-image ingest.
 */
export function validateSourceRecord(r: SourceRecord, type: DatasetType): void {
  const problem = findProblem(r, type);
  if (problem === undefined) return;
  const i = r.origin.lastIndexOf("#");
  const [file, row] = i < 0 ? [r.origin, undefined] : [r.origin.slice(0, i), `row ${r.origin.slice(i + 1)}`];
  throw new DatasetFileError(file, `${row ? `${row}, ` : ""}image_id ${r.imageId}`, problem);
}

function findProblem(r: SourceRecord, type: DatasetType): string | undefined {
  if (!(r.width > 0 && r.height > 0)) return `image size ${r.width}×${r.height} is not positive`;
  const v = getVocabulary(type);
  const ids = new Set<string>();
  for (let k = 0; k < r.objects.length; k++) {
    const o = r.objects[k]!;
    if (typeof o.id !== "string" || !ID_RE.test(o.id)) return `objects.${k}.id "${o.id}" is not <class>.<n>`;
    if (!v.gtClassId.has(cat(o.id))) return `objects.${k}.id "${o.id}": "${cat(o.id)}" is not a ${type} class`;
    const b = o.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === "number" && Number.isFinite(x))) {
      return `objects.${k}.bbox is not four finite numbers`;
    }
    ids.add(o.id);
  }
  for (let k = 0; k < r.relationships.length; k++) {
    const x = r.relationships[k]!;
    if (!ids.has(x.subject)) return `relationships.${k}.subject: "${x.subject}" is not an object id of this image`;
    if (!ids.has(x.object)) return `relationships.${k}.object: "${x.object}" is not an object id of this image`;
    if (!v.predicateId.has(x.predicate)) return `relationships.${k}.predicate "${x.predicate}" is not a ${type} predicate`;
  }
  return undefined;
}
