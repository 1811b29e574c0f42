import type { ImageLookup } from "./split-image-lookup";

/** What every writer is given besides the records. */
export interface WriterOptions {
  /** Folder the files go to (created; the caller makes sure it is fresh). */
  readonly dir: string;
  /** Pictures by image id; leave out to write annotations only. */
  readonly images?: ImageLookup;
  /** Called after each image with the number written so far. */
  readonly onProgress?: (images: number) => void;
}

/** What a writer wrote. */
export interface WriterResult {
  /** Paths relative to the export folder, picture files left out. */
  readonly files: string[];
  readonly images: number;
  readonly pictures: number;
  readonly objects: number;
  readonly relations: number;
  /** Things the target format cannot say exactly, one sentence each. */
  readonly warnings: string[];
}
