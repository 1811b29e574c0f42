import { describe, expect, it } from "vitest";
import {
  morphy,
  stripSyntacticMarker,
  wordnetMap,
  wordnetSynsets,
  type WordnetDb,
  type WordnetPos,
  type WordnetTables,
} from "./wordnet-map";

type PosTable<T> = Partial<Record<WordnetPos, Record<string, T>>>;

/** A tiny in-memory database: index entries (form → offsets), exception lists, synset lemma names. */
function tables(
  index: PosTable<number[]>,
  exc: PosTable<string[]> = {},
  data: PosTable<string[]> = {},
): WordnetTables & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    known: (form, pos) => Object.hasOwn(index[pos] ?? {}, form),
    exceptions: (form, pos) => (Object.hasOwn(exc[pos] ?? {}, form) ? exc[pos]![form] : undefined),
    offsets: (form, pos) => index[pos]?.[form] ?? [],
    lemmaNames: (pos, offset) => {
      calls.push(`${pos}${offset}`);
      return data[pos]?.[String(offset)] ?? [];
    },
  };
}

function dbOf(t: WordnetTables): WordnetDb {
  return { synsets: (w) => wordnetSynsets(w, t) };
}

describe("morphy", () => {
  it("returns the form itself and the one-round rule results that are known, first occurrence kept", () => {
    const t = tables({ n: { boxes: [1], box: [2], boxe: [3] } });
    // rules on "boxes": (s,"") → boxe, (ses,s)? no; (xes,x) → box
    expect(morphy("boxes", "n", t)).toEqual(["boxes", "boxe", "box"]);
  });

  it("keeps applying the rules until some form is known", () => {
    // "glasses" → s: glasse, ses: glass; second round from glasse → glass (s? no), from glass → glas
    const t = tables({ n: { glas: [1] } });
    expect(morphy("glasses", "n", t)).toEqual(["glas"]);
  });

  it("can yield the empty form, and nothing when no form is known", () => {
    const t = tables({ n: { "": [1] } });
    expect(morphy("s", "n", t)).toEqual([""]);
    expect(morphy("x", "n", t)).toEqual([]);
  });

  it("lets an exception entry decide alone, even when none of its forms is known", () => {
    const t = tables({ n: { mouse: [1], mices: [2] } }, { n: { mice: ["mouse"], mices: ["nothing"] } });
    expect(morphy("mice", "n", t)).toEqual(["mouse"]);
    // "mices" is an exception: its own form is known, the listed base is not; no rules are applied.
    expect(morphy("mices", "n", t)).toEqual(["mices"]);
    // Here the rules would reach the known "mice", but the exception entry has the last word.
    const u = tables({ n: { mice: [1] } }, { n: { mices: ["mouses"] } });
    expect(morphy("mices", "n", u)).toEqual([]);
  });

  it("removes duplicates from exception lists", () => {
    const t = tables({ v: { be: [1], was: [2] } }, { v: { was: ["be", "was", "be"] } });
    expect(morphy("was", "v", t)).toEqual(["was", "be"]);
  });

  it("uses the verb rules in order, keeping duplicates out", () => {
    const t = tables({ v: { ride: [1], rid: [2] } });
    // ing→e gives ride, ing→"" gives rid
    expect(morphy("riding", "v", t)).toEqual(["ride", "rid"]);
    // es→e and es→"" ; s→"" first
    const u = tables({ v: { box: [1], boxe: [2] } });
    expect(morphy("boxes", "v", u)).toEqual(["boxe", "box"]);
  });

  it("uses the adjective rules and has none for adverbs", () => {
    const t = tables({ a: { big: [1], bigg: [2], large: [3] }, r: { fast: [1] } });
    expect(morphy("bigger", "a", t)).toEqual(["bigg"]);
    expect(morphy("larger", "a", t)).toEqual(["large"]);
    expect(morphy("fastest", "r", t)).toEqual([]);
    expect(morphy("fast", "r", t)).toEqual(["fast"]);
  });

  it("checks known forms per part of speech", () => {
    const t = tables({ v: { tree: [1] } });
    expect(morphy("trees", "n", t)).toEqual([]);
    expect(morphy("trees", "v", t)).toEqual(["tree"]);
  });
});

describe("stripSyntacticMarker", () => {
  it("removes a trailing parenthesised marker from its first '('", () => {
    expect(stripSyntacticMarker("galore(ip)")).toBe("galore");
    expect(stripSyntacticMarker("elect(p)")).toBe("elect");
    expect(stripSyntacticMarker("big(a)")).toBe("big");
    expect(stripSyntacticMarker("a(b)c(d)")).toBe("a");
    expect(stripSyntacticMarker("()")).toBe("");
  });

  it("keeps tokens that do not end in ')'", () => {
    expect(stripSyntacticMarker("Nalchik")).toBe("Nalchik");
    expect(stripSyntacticMarker("a(b)c")).toBe("a(b)c");
    expect(stripSyntacticMarker("ab)")).toBe("ab)");
  });
});

describe("wordnetSynsets", () => {
  it("lower-cases, visits n, v, a, r and keeps index order and duplicates", () => {
    const t = tables(
      { n: { run: [5, 1] }, v: { run: [7] }, a: { run: [5] }, r: {} },
      {},
      { n: { 5: ["run", "tally"], 1: ["Run"] }, v: { 7: ["run"] }, a: { 5: ["running"] } },
    );
    expect([...wordnetSynsets("RUN", t)]).toEqual([["run", "tally"], ["Run"], ["run"], ["running"]]);
    expect(t.calls).toEqual(["n5", "n1", "v7", "a5"]);
  });

  it("is lazy", () => {
    const t = tables({ n: { a: [1, 2, 3] } }, {}, { n: { 1: ["x"], 2: ["y"], 3: ["z"] } });
    const it = wordnetSynsets("a", t)[Symbol.iterator]();
    it.next();
    expect(t.calls).toEqual(["n1"]);
  });
});

describe("wordnetMap", () => {
  const t = tables(
    {
      n: { bicycle: [10], car: [20], red: [30], auto: [20] },
      v: { ride: [40], bicycle: [41] },
      a: { red: [50] },
    },
    {},
    {
      n: { 10: ["bicycle", "bike", "wheel"], 20: ["car", "auto", "automobile"], 30: ["red", "redness"] },
      v: { 40: ["ride", "Ride"], 41: ["bicycle", "cycle", "bike", "wheel"] },
      a: { 50: ["red", "reddish"] },
    },
  );
  const db = dbOf(t);
  const B = new Set(["bike", "wheel", "car", "Ride", "red car"]);

  it("returns x when it is a target, before any lookup", () => {
    expect(wordnetMap("red car", B, db)).toBe("red car");
  });

  it("returns the first target among the lemma names in synset order", () => {
    expect(wordnetMap("bicycle", B, db)).toBe("bike");
    expect(wordnetMap("Bicycle", B, db)).toBe("bike");
    expect(wordnetMap("auto", B, db)).toBe("car");
  });

  it("matches case-sensitively", () => {
    expect(wordnetMap("riding", B, db)).toBe("Ride");
    expect(wordnetMap("riding", new Set(["ride"]), db)).toBe("ride");
    expect(wordnetMap("riding", new Set(["RIDE"]), db)).toBeUndefined();
  });

  it("falls back to the words of a multi-word input, in order", () => {
    expect(wordnetMap("red auto", B, db)).toBe("car");
    expect(wordnetMap("red  auto", new Set(["redness", "car"]), db)).toBe("redness");
    expect(wordnetMap("xyz wheel", B, db)).toBe("wheel");
    expect(wordnetMap("xyz\u00a0wheel", B, db)).toBe("wheel");
    expect(wordnetMap("xyz\ufeffwheel", B, db)).toBeUndefined();
  });

  it("does not split a single word", () => {
    expect(wordnetMap(" wheel ", B, db)).toBeUndefined();
    expect(wordnetMap("", B, db)).toBeUndefined();
  });

  it("returns undefined when nothing is found", () => {
    expect(wordnetMap("unknown words", B, db)).toBeUndefined();
  });
});
