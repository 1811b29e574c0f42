/**
 * WordNet lookup of method.md appendix C: maps a predicted label onto a target vocabulary the way the
 * reference does with NLTK's WordNet reader on WordNet 3.0. Pure: the database is passed in
 * (`server/wordnet/load-wordnet.ts` builds one from the Princeton files).
 */
import { words } from "./text";

/** Parts of speech in the order `synsets(x)` visits them: noun, verb, adjective, adverb. */
export const WORDNET_POS = ["n", "v", "a", "r"] as const;
export type WordnetPos = (typeof WORDNET_POS)[number];

/** What `wordnetMap` needs from a database: the lemma names of each synset of a word, in order. */
export interface WordnetDb {
  /**
   * Appendix C `synsets(x)` as lemma-name lists: `x` lower-cased; pos n, v, a, r; for each `morphy`
   * form, the index offsets in file order. Duplicates are kept.
   */
  synsets(word: string): Iterable<readonly string[]>;
}

/** The tables `morphy` consults for one part of speech at a time. */
export interface MorphyTables {
  /** `(form, pos)` has an entry in `index.<pos>`. */
  known(form: string, pos: WordnetPos): boolean;
  /** The base forms listed for `form` in `<pos>.exc`, or undefined when `form` is not listed there. */
  exceptions(form: string, pos: WordnetPos): readonly string[] | undefined;
}

/** Everything `wordnetSynsets` needs: morphy's tables plus the index offsets and the data lines. */
export interface WordnetTables extends MorphyTables {
  /** Synset offsets of `(form, pos)` in index file order (only called for known forms). */
  offsets(form: string, pos: WordnetPos): readonly number[];
  /** Lemma names of the synset at byte `offset` of `data.<pos>`. */
  lemmaNames(pos: WordnetPos, offset: number): readonly string[];
}

type Subst = readonly (readonly [old: string, replacement: string])[];

/** NLTK's MORPHOLOGICAL_SUBSTITUTIONS (appendix C `SUBST`), in rule order. */
export const MORPHY_SUBSTITUTIONS: Readonly<Record<WordnetPos, Subst>> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["ves", "f"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

function applyRules(forms: readonly string[], subst: Subst): string[] {
  const out: string[] = [];
  for (const f of forms) {
    for (const [old, replacement] of subst) {
      if (f.endsWith(old)) out.push(f.slice(0, f.length - old.length) + replacement);
    }
  }
  return out;
}

function filterKnown(forms: readonly string[], pos: WordnetPos, tables: MorphyTables): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const f of forms) {
    if (!seen.has(f) && tables.known(f, pos)) {
      out.push(f);
      seen.add(f);
    }
  }
  return out;
}

/**
 * NLTK's `_morphy(form, pos)`: an exception-list entry decides alone (even when none of its forms is
 * known); otherwise the form itself and one round of suffix rules, then further rounds until some
 * form is known. Results are deduplicated keeping the first occurrence.
 */
export function morphy(form: string, pos: WordnetPos, tables: MorphyTables): string[] {
  const exc = tables.exceptions(form, pos);
  if (exc !== undefined) return filterKnown([form, ...exc], pos, tables);
  const subst = MORPHY_SUBSTITUTIONS[pos];
  let forms = applyRules([form], subst);
  let results = filterKnown([form, ...forms], pos, tables);
  if (results.length > 0) return results;
  while (forms.length > 0) {
    forms = applyRules(forms, subst);
    results = filterKnown(forms, pos, tables);
    if (results.length > 0) return results;
  }
  return [];
}

/** Appendix C `synsets(x)`, lazily, as lemma-name lists. */
export function* wordnetSynsets(x: string, tables: WordnetTables): Generator<readonly string[]> {
  const lower = x.toLowerCase();
  for (const pos of WORDNET_POS) {
    for (const form of morphy(lower, pos, tables)) {
      for (const offset of tables.offsets(form, pos)) yield tables.lemmaNames(pos, offset);
    }
  }
}

/**
 * A lemma token of a data line without its syntactic marker, as NLTK's `(.*?)(\(.*\))?$` does: a
 * token ending in `)` loses everything from its first `(` (adjective markers `(a)`, `(p)`, `(ip)`).
 */
export function stripSyntacticMarker(token: string): string {
  if (!token.endsWith(")")) return token;
  const open = token.indexOf("(");
  return open < 0 ? token : token.slice(0, open);
}

function firstLemmaIn(x: string, targets: ReadonlySet<string>, db: WordnetDb): string | undefined {
  for (const names of db.synsets(x)) {
    for (const name of names) if (targets.has(name)) return name;
  }
  return undefined;
}

/**
 * Appendix C `wordnetMap(x, B)`: `x` itself if it is a target; else the first lemma name of the
 * synsets of `x` that is a target; else, for inputs of two or more words, the same per word in order
 * (the word itself first). Exact, case-sensitive string matches; undefined when nothing is found.
 */
export function wordnetMap(x: string, targets: ReadonlySet<string>, db: WordnetDb): string | undefined {
  if (targets.has(x)) return x;
  const hit = firstLemmaIn(x, targets, db);
  if (hit !== undefined) return hit;
  const ws = words(x);
  if (ws.length >= 2) {
    for (const w of ws) {
      if (targets.has(w)) return w;
      const h = firstLemmaIn(w, targets, db);
      if (h !== undefined) return h;
    }
  }
  return undefined;
}
