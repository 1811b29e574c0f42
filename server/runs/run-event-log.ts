/**
 * A run's events.jsonl: every stdout line of the trainer, in order, appended before it is recorded, so
 * the file is the source of truth that a later attempt replays. Lines are numbered from 1; RunLog rows
 * are keyed by these numbers.
 */
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from "node:fs";

export interface EventLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly text: string;
}

const CHUNK = 1 << 16;

/**
 * Reads a growing events file from a byte offset: `poll()` returns the complete lines written since the
 * last call, `flush()` also the unterminated tail (the writer has finished). Used to replay a log from
 * the start and to follow the file a Slurm job writes.
 */
export class EventFileTail {
  private offset: number;
  private nextLine: number;
  private pending = Buffer.alloc(0);

  constructor(
    readonly file: string,
    start: { offset?: number; line?: number } = {},
  ) {
    this.offset = start.offset ?? 0;
    this.nextLine = (start.line ?? 0) + 1;
  }

  /** Lines read so far (the number of the last one returned). */
  get lines(): number {
    return this.nextLine - 1;
  }

  /** Bytes consumed, including a pending partial line. */
  get position(): number {
    return this.offset;
  }

  poll(): EventLine[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size > this.offset) {
      const fd = openSync(this.file, "r");
      try {
        const chunks: Buffer[] = [this.pending];
        while (this.offset < size) {
          const buf = Buffer.alloc(Math.min(CHUNK, size - this.offset));
          const n = readSync(fd, buf, 0, buf.length, this.offset);
          if (n <= 0) break;
          chunks.push(buf.subarray(0, n));
          this.offset += n;
        }
        this.pending = Buffer.concat(chunks);
      } finally {
        closeSync(fd);
      }
    }
    const out: EventLine[] = [];
    let start = 0;
    for (let nl = this.pending.indexOf(10, start); nl !== -1; nl = this.pending.indexOf(10, start)) {
      out.push({ line: this.nextLine++, text: this.pending.subarray(start, nl).toString("utf8") });
      start = nl + 1;
    }
    this.pending = this.pending.subarray(start);
    return out;
  }

  /** `poll()` plus the last line when the file does not end with a newline. */
  flush(): EventLine[] {
    const out = this.poll();
    if (this.pending.length > 0) {
      out.push({ line: this.nextLine++, text: this.pending.toString("utf8") });
      this.pending = Buffer.alloc(0);
    }
    return out;
  }
}

/**
 * Appends lines to events.jsonl, continuing the numbering after `existingLines`. When the file ends in a
 * partial line (a writer died mid-line), a newline is added first so the next line stands on its own.
 */
export class EventLogWriter {
  private fd: number;
  private line: number;

  constructor(
    readonly file: string,
    existingLines: number,
  ) {
    this.fd = openSync(file, "a");
    this.line = existingLines;
    const size = statSync(file).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rfd = openSync(file, "r");
      try {
        readSync(rfd, last, 0, 1, size - 1);
      } finally {
        closeSync(rfd);
      }
      if (last[0] !== 10) writeSync(this.fd, "\n");
    }
  }

  /** Writes one line (a newline inside `text` is escaped as a space, keeping one event per line) and returns its number. */
  append(text: string): number {
    writeSync(this.fd, `${text.replace(/[\r\n]+/g, " ")}\n`);
    return ++this.line;
  }

  get lines(): number {
    return this.line;
  }

  close(): void {
    closeSync(this.fd);
  }
}
