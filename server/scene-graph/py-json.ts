/**
 * JSON parsing with Python `json.loads` semantics (method.md 0.4) and the Python value rules the
 * reference applies to parsed values (0.5).
 */

export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue };
export type PyDict = { [key: string]: PyValue };

/** Where and why a text is not JSON. `offset` is a UTF-16 index; line and column are 1-based. */
export interface JsonSyntaxError {
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** True when the text ended before the value was complete (typical of a length-capped output). */
  readonly truncated: boolean;
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: PyValue }
  | { readonly ok: false; readonly error: JsonSyntaxError };

/**
 * Parses `text` like Python's `json.loads`. The native parser handles every valid document; the slow
 * scanner only runs on failures, to locate the error and to tell non-finite literals (`NaN`,
 * `Infinity`), which Python accepts, apart: those are reported as a failure "non-finite number".
 */
export function parsePyJson(text: string): JsonParseResult {
  const value = parsePyJsonFast(text);
  return value === NOT_JSON ? { ok: false, error: locateJsonError(text) } : { ok: true, value };
}

/** Returned by `parsePyJsonFast` for a text that is not JSON (or holds non-finite literals). */
export const NOT_JSON: unique symbol = Symbol("not JSON");

const VALUE_START = /^[ \t\n\r]*[{["\-0-9tfn]/;

/**
 * `parsePyJson` for hot paths that only need the value: no error location. Prose answers are rejected by
 * a cheap first-character test, because a thrown SyntaxError costs more than the parse itself.
 */
export function parsePyJsonFast(text: string): PyValue | typeof NOT_JSON {
  if (!VALUE_START.test(text)) return NOT_JSON;
  try {
    return JSON.parse(text) as PyValue;
  } catch {
    return NOT_JSON;
  }
}

function makeError(text: string, message: string, offset: number): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { message, offset, line, column: offset - lineStart + 1, truncated: offset >= text.length };
}

// Thrown and caught inside the scanner only; not an Error, so no stack trace is captured.
class ScanError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

/** A scanner that follows Python's `json.decoder` messages; only used to explain a failed parse. */
function locateJsonError(text: string): JsonSyntaxError {
  let pos = 0;
  let nonFinite = -1;
  const skipWs = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else return;
    }
  };
  const value = (): void => {
    const c = text[pos];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    for (const lit of ["null", "true", "false", "NaN", "Infinity", "-Infinity"]) {
      if (text.startsWith(lit, pos)) {
        if (lit.endsWith("N") || lit.endsWith("y")) nonFinite = nonFinite < 0 ? pos : nonFinite;
        pos += lit.length;
        return;
      }
    }
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (!m) throw new ScanError("Expecting value", pos);
    pos += m[0].length;
  };
  const string = () => {
    const start = pos++;
    for (;;) {
      if (pos >= text.length) throw new ScanError("Unterminated string starting at", start);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return;
      }
      if (c < 0x20) throw new ScanError("Invalid control character at", pos);
      if (c === 0x5c) {
        const e = text[pos + 1];
        if (e === undefined) throw new ScanError("Unterminated string starting at", start);
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            throw new ScanError("Invalid \\uXXXX escape", pos + 1);
          }
          pos += 6;
        } else if ('"\\/bfnrt'.includes(e)) pos += 2;
        else throw new ScanError("Invalid \\escape", pos);
      } else pos++;
    }
  };
  const object = () => {
    pos++;
    skipWs();
    if (text[pos] === "}") {
      pos++;
      return;
    }
    for (;;) {
      if (text[pos] !== '"') throw new ScanError("Expecting property name enclosed in double quotes", pos);
      string();
      skipWs();
      if (text[pos] !== ":") throw new ScanError("Expecting ':' delimiter", pos);
      pos++;
      skipWs();
      value();
      skipWs();
      if (text[pos] === "}") {
        pos++;
        return;
      }
      if (text[pos] !== ",") throw new ScanError("Expecting ',' delimiter", pos);
      pos++;
      skipWs();
    }
  };
  const array = () => {
    pos++;
    skipWs();
    if (text[pos] === "]") {
      pos++;
      return;
    }
    for (;;) {
      value();
      skipWs();
      if (text[pos] === "]") {
        pos++;
        return;
      }
      if (text[pos] !== ",") throw new ScanError("Expecting ',' delimiter", pos);
      pos++;
      skipWs();
    }
  };
  try {
    skipWs();
    value();
    skipWs();
    if (pos < text.length) throw new ScanError("Extra data", pos);
  } catch (e) {
    if (e instanceof ScanError) return makeError(text, e.message, e.offset);
    throw e;
  }
  // Only non-finite literals make the native parser fail on a text Python accepts.
  return makeError(text, "non-finite number", nonFinite < 0 ? 0 : nonFinite);
}

/**
 * Raised inside a guarded reward step; the guard turns it into "that reward is 0". Deliberately not an
 * Error: broken answers are common in training, and capturing a stack trace per failure is costly.
 */
export class PyFailure {
  constructor(
    readonly message: string,
    readonly path?: string,
  ) {}
}

/** True for a JSON object (Python dict). */
export function isDict(v: PyValue | undefined): v is PyDict {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Python `v[k]` on a parsed value: succeeds only for an object holding key `k`. */
export function field(v: PyValue | undefined, key: string, path = ""): PyValue {
  if (!isDict(v)) throw new PyFailure(`expected an object with key "${key}"`, path);
  if (!Object.hasOwn(v, key)) throw new PyFailure(`missing key "${key}"`, path);
  return v[key] as PyValue;
}

const EMPTY: readonly PyValue[] = [];

/**
 * Python iteration of a value used as a list: arrays yield their elements, `{}` and `""` yield nothing,
 * anything else fails (the reference would then index a key or a character and fail).
 */
export function iterate(v: PyValue, path = ""): readonly PyValue[] {
  if (Array.isArray(v)) return v;
  if (v === "" || (isDict(v) && isEmptyDict(v))) return EMPTY;
  throw new PyFailure("expected an array", path);
}

function isEmptyDict(d: PyDict): boolean {
  for (const k in d) if (Object.hasOwn(d, k)) return false;
  return true;
}

/** Python `isinstance(x, (int, float))`: booleans are integers. */
export function isNum(x: PyValue | undefined): x is number | boolean {
  return typeof x === "number" || typeof x === "boolean";
}

/** Numeric value of `x` (true = 1, false = 0); fails for non-numbers. */
export function num(x: PyValue | undefined, path = ""): number {
  if (typeof x === "number") return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  throw new PyFailure("expected a number", path);
}

/** The value as a string, or a failure naming the path. */
export function str(x: PyValue | undefined, path = ""): string {
  if (typeof x !== "string") throw new PyFailure("expected a string", path);
  return x;
}
