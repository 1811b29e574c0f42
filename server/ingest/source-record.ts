import type { DatasetType, GtObject, GtRelation } from "../scene-graph/types";

/**
 * One image as every dataset reader yields it, whatever the file format: the record of method.md a.1
 * with boxes in original pixels, plus the image bytes when the format carries them.
 */
export interface SourceRecord {
  /** The dataset's image id, as a string. */
  readonly imageId: string;
  /** Split name as the source names it: "train", "val", "test". */
  readonly split: string;
  /** Original size in pixels. */
  readonly width: number;
  readonly height: number;
  readonly objects: readonly GtObject[];
  readonly relationships: readonly GtRelation[];
  /** Encoded image (JPEG/PNG) when the source has it, else undefined. */
  readonly imageBytes?: Uint8Array;
  /** Where the record came from, for error messages: `file#row`. */
  readonly origin: string;
}

/** What a reader knows about the dataset before the first record. */
export interface SourceInfo {
  readonly datasetType: DatasetType;
  /** hf-parquet | vg150-h5 | records-jsonl | synthetic */
  readonly format: string;
  readonly attribution: string;
}

/** A bad input file: names the file and the record (row, image id) where reading stopped. */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly record: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${record ? ` (${record})` : ""}: ${detail}`);
  }
}
