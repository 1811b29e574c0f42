import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import vg150 from "../scene-graph/data/vg150-classes.json";
import psg from "../scene-graph/data/psg-categories.json";
import { norm } from "../scene-graph/text";
import { wordnetMap, type WordnetDb } from "../scene-graph/wordnet-map";
import { createWordnetMapper, loadWordnet, untarEntries } from "./load-wordnet";

type TargetName = "vg150Classes" | "vg150Predicates" | "psgClasses" | "psgPredicates";

interface Fixture {
  readonly targets: Record<TargetName, string[]>;
  readonly inputs: string[];
  readonly expected: Record<TargetName, (string | null)[]>;
  readonly synsets: Record<string, string[][]>;
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/wordnet-map.json", import.meta.url), "utf8"),
) as Fixture;
const TARGET_NAMES = Object.keys(fixture.expected) as TargetName[];
const targetSets = new Map(TARGET_NAMES.map((n) => [n, new Set(fixture.targets[n])]));

const DEBIAN_DIR = "/usr/share/wordnet";

/** Every fixture case that `map(name, x)` answers differently, as readable strings. */
function mismatches(map: (name: TargetName, x: string) => string | undefined): string[] {
  const bad: string[] = [];
  for (const name of TARGET_NAMES) {
    fixture.inputs.forEach((x, i) => {
      const want = fixture.expected[name][i] ?? undefined;
      const got = map(name, x);
      if (got !== want) bad.push(`${name} ${JSON.stringify(x)}: expected ${want}, got ${got}`);
    });
  }
  return bad;
}

describe("WordNet 3.0 from the npm package", () => {
  let db: WordnetDb;
  beforeAll(async () => {
    db = await loadWordnet();
  });

  it("maps the golden examples onto the VG150 classes", () => {
    const classes = new Set(vg150.objects.slice(1));
    expect(wordnetMap("trees", classes, db)).toBe("tree");
    expect(wordnetMap("bicycle", classes, db)).toBe("bike");
  });

  it("uses the target vocabularies of the data files", () => {
    expect(fixture.targets.vg150Classes).toEqual(vg150.objects.slice(1));
    expect(fixture.targets.vg150Predicates).toEqual(vg150.predicates.slice(1));
    expect(fixture.targets.psgClasses).toEqual([...psg.thing_classes, ...psg.stuff_classes].map(norm));
    expect(fixture.targets.psgPredicates).toEqual(psg.predicate_classes);
  });

  it("answers every fixture input as NLTK does, for all four target sets", () => {
    expect(fixture.inputs.length).toBeGreaterThan(1000);
    expect(mismatches((name, x) => wordnetMap(x, targetSets.get(name)!, db))).toEqual([]);
  });

  it("lists the synsets' lemma names as NLTK does (order, duplicates, markers stripped, case kept)", () => {
    for (const [x, want] of Object.entries(fixture.synsets)) {
      expect([...db.synsets(x)].map((names) => [...names]), x).toEqual(want);
    }
    expect([...db.synsets("galore")]).toEqual([["galore"], ["abounding", "galore"]]);
  });

  it("caches per input in createWordnetMapper without changing answers", () => {
    let calls = 0;
    const counting: WordnetDb = {
      synsets: (w) => {
        calls++;
        return db.synsets(w);
      },
    };
    const mappers = new Map(TARGET_NAMES.map((n) => [n, createWordnetMapper(counting, targetSets.get(n)!)]));
    expect(mismatches((name, x) => mappers.get(name)!(x))).toEqual([]);
    const after = calls;
    expect(mismatches((name, x) => mappers.get(name)!(x))).toEqual([]);
    expect(calls).toBe(after);
  });
});

describe.skipIf(!existsSync(`${DEBIAN_DIR}/index.noun`))("WordNet 3.0 from Debian's wordnet-base directory", () => {
  let db: WordnetDb;
  beforeAll(async () => {
    db = await loadWordnet({ dir: DEBIAN_DIR });
  });

  it("answers every fixture input like the npm package", () => {
    expect(mismatches((name, x) => wordnetMap(x, targetSets.get(name)!, db))).toEqual([]);
    for (const [x, want] of Object.entries(fixture.synsets)) {
      expect([...db.synsets(x)].map((names) => [...names]), x).toEqual(want);
    }
  });
});

describe("loadWordnet errors", () => {
  it("rejects a directory without the database files", async () => {
    await expect(loadWordnet({ dir: "/nonexistent-wordnet-dir" })).rejects.toThrow();
  });
});

/** A ustar archive of the given files (header fields the reader uses, zero-filled otherwise). */
function tarOf(files: [string, string][], prefix = ""): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of files) {
    const h = Buffer.alloc(512);
    h.write(name, 0, "utf8");
    h.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124, "latin1");
    h.write("0", 156, "latin1");
    h.write("ustar\x0000", 257, "latin1");
    if (prefix) h.write(prefix, 345, "utf8");
    const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
    data.write(body, 0, "utf8");
    blocks.push(h, data);
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe("untarEntries", () => {
  it("returns the wanted regular files by base name, as views of the archive", () => {
    const body = "x".repeat(700);
    const tar = tarOf([
      ["dict/index.noun", "abc\n"],
      ["dict/index.sense", body],
      ["dict/data.noun", body],
    ]);
    const got = untarEntries(tar, new Set(["index.noun", "data.noun", "verb.exc"]));
    expect([...got.keys()]).toEqual(["index.noun", "data.noun"]);
    expect(got.get("index.noun")!.toString()).toBe("abc\n");
    expect(got.get("data.noun")!.toString()).toBe(body);
    expect(got.get("data.noun")!.buffer).toBe(tar.buffer);
  });

  it("joins the ustar prefix and stops at the end-of-archive block", () => {
    const tar = Buffer.concat([tarOf([["index.adj", "a"]], "WNdb/dict"), tarOf([["index.adv", "b"]])]);
    const got = untarEntries(tar, new Set(["index.adj", "index.adv"]));
    expect([...got.keys()]).toEqual(["index.adj"]);
  });
});
