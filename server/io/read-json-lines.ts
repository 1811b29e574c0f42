import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { z } from "zod";

/** A bad input file: names the file and, where it applies, the 1-based line and the field. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${detail}`);
  }
}

/** Formats zod issues as `path: message; …`, the way errors name a field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(record)"}: ${i.message}`).join("; ");
}

/** Throws an `InputFileError` when the file cannot be read. */
export async function assertReadable(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new InputFileError(file, "file not found or not readable");
  }
}

/**
 * Streams a JSON-lines file and validates each non-blank line with `schema`. The first malformed line
 * stops the read with an error naming the file, the line and the field.
 */
export async function* readJsonLines<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<{ line: number; value: T }> {
  await assertReadable(file);
  const rl = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new InputFileError(file, `invalid JSON (${(e as Error).message})`, line);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new InputFileError(file, describeIssues(parsed.error), line);
    yield { line, value: parsed.data };
  }
}

/** Reads a whole JSON-lines file into memory (see `readJsonLines`). */
export async function readAllJsonLines<T>(file: string, schema: z.ZodType<T>): Promise<Array<{ line: number; value: T }>> {
  const out: Array<{ line: number; value: T }> = [];
  for await (const item of readJsonLines(file, schema)) out.push(item);
  return out;
}
