import vg150 from "./data/vg150-classes.json";
import psg from "./data/psg-categories.json";
import labelSynonyms from "./data/label-synonyms.json";
import predicateMappings from "./data/predicate-mappings.json";
import passiveToActive from "./data/passive-to-active.json";
import zeroShot from "./data/zero-shot-triplets.json";
import { norm } from "./text";
import type { DatasetType } from "./types";

/**
 * A dataset vocabulary with the tables the evaluation gather step uses (method.md a.4, f.2, f.3).
 * Class and predicate ids follow the reference: VG150 classes 1..150 and predicates 1..50 (index 0 is
 * background); PSG classes 0..132 (things then stuff, no background) and predicates 1..56.
 */
export interface Vocabulary {
  readonly type: DatasetType;
  /** Class names as predictions are compared against them (PSG: normalised, `tree merged`). */
  readonly classes: readonly string[];
  readonly classSet: ReadonlySet<string>;
  /** Mapped (normalised) class name → class id. */
  readonly classId: ReadonlyMap<string, number>;
  /** Raw ground-truth class name (`tree-merged`) → class id. */
  readonly gtClassId: ReadonlyMap<string, number>;
  /** Class id → display name (raw). */
  readonly className: (id: number) => string;
  /** All class ids, in id order (COCO categories). */
  readonly classIds: readonly number[];
  readonly predicates: readonly string[];
  readonly predicateSet: ReadonlySet<string>;
  /** Predicate name → id (1-based). */
  readonly predicateId: ReadonlyMap<string, number>;
  /** Number of predicates C (50 or 56): the divisor of mR@K. */
  readonly predicateCount: number;
  readonly labelSynonyms: ReadonlyMap<string, string>;
  /** VG150 only; PSG has no predicate table. */
  readonly predicateTable: ReadonlyMap<string, string> | undefined;
  readonly passiveRules: ReadonlyMap<string, { target: string; swap: boolean }>;
  /** Zero-shot triplets as `subjectClass,objectClass,predicate` keys (VG150 ids; applied to PSG ids too). */
  readonly zeroShot: ReadonlySet<number>;
}

/** Key of a (subject class, object class, predicate) triple for the zero-shot set. */
export function zeroShotKey(subjectClass: number, objectClass: number, predicate: number): number {
  return (subjectClass * 1024 + objectClass) * 128 + predicate;
}

const passiveRules = new Map(passiveToActive.rules.map((r) => [r.source, { target: r.target, swap: r.passive === 1 }]));
const zeroShotSet = new Set(zeroShot.rows.map(([s, o, p]) => zeroShotKey(s!, o!, p!)));

function build(type: DatasetType): Vocabulary {
  const isVg = type === "vg";
  const rawClasses = isVg ? vg150.objects.slice(1) : [...psg.thing_classes, ...psg.stuff_classes];
  const firstId = isVg ? 1 : 0;
  const classes = isVg ? rawClasses : rawClasses.map(norm);
  const predicates = isVg ? vg150.predicates.slice(1) : psg.predicate_classes;
  const synonyms = isVg ? labelSynonyms.vg150 : labelSynonyms.psg;
  return {
    type,
    classes,
    classSet: new Set(classes),
    classId: new Map(classes.map((c, i) => [c, i + firstId])),
    gtClassId: new Map(rawClasses.map((c, i) => [c, i + firstId])),
    className: (id) => rawClasses[id - firstId] ?? `#${id}`,
    classIds: rawClasses.map((_, i) => i + firstId),
    predicates,
    predicateSet: new Set(predicates),
    predicateId: new Map(predicates.map((p, i) => [p, i + 1])),
    predicateCount: predicates.length,
    labelSynonyms: new Map(synonyms.map((e) => [e.source, e.target])),
    predicateTable: isVg ? new Map(predicateMappings.entries.map((e) => [e.source, e.target])) : undefined,
    passiveRules,
    zeroShot: zeroShotSet,
  };
}

const cache = new Map<DatasetType, Vocabulary>();

/** The vocabulary of a dataset type, built once. */
export function getVocabulary(type: DatasetType): Vocabulary {
  let v = cache.get(type);
  if (!v) cache.set(type, (v = build(type)));
  return v;
}
