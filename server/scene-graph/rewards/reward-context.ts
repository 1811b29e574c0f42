import { pxToNorm } from "../boxes";
import { extractAnswer } from "../extract-answer";
import { matchNodes, type NodeMatch, type NodeNorm } from "../match-nodes";
import { field, isDict, isNum, iterate, NOT_JSON, parsePyJsonFast, PyFailure, type PyValue } from "../py-json";
import { exactSimilarity, type Similarity } from "../similarity";
import { norm } from "../text";
import type { BoxNorm, BoxScale, GtGraph, ImageSizePx } from "../types";

/** One completion to score, with its image's ground truth in original pixels. */
export interface RewardInput {
  readonly completion: string;
  readonly gt: GtGraph;
  readonly imageSize: ImageSizePx;
  readonly boxScale: BoxScale;
}

const UNSET = Symbol("unset");
class Failed {
  constructor(readonly error: PyFailure) {}
}
type Slot<T> = T | Failed | typeof UNSET;

/** Computes a slot once; a PyFailure is remembered and re-raised to every later reader. */
function settle<T>(slot: Slot<T>, compute: () => T): T | Failed {
  if (slot !== UNSET) return slot;
  try {
    return compute();
  } catch (e) {
    if (e instanceof PyFailure) return new Failed(e);
    throw e;
  }
}

function unwrap<T>(v: T | Failed): T {
  if (v instanceof Failed) throw v.error;
  return v;
}

/**
 * A predicted relationship whose fields are read and normalised on first use, failing only where the
 * reference would: a field it never reaches never fails.
 */
export class LazyRel {
  private p: Slot<string> = UNSET;
  private s: Slot<string> = UNSET;
  private o: Slot<string> = UNSET;

  constructor(
    readonly raw: PyValue,
    private readonly index: number,
  ) {}

  private read(key: string): string {
    const r = this.raw;
    if (!isDict(r) || !Object.hasOwn(r, key)) throw new PyFailure(`missing key "${key}"`, `relationships[${this.index}]`);
    const v = r[key];
    if (typeof v !== "string") throw new PyFailure("expected a string", `relationships[${this.index}].${key}`);
    return norm(v);
  }
  predicate(): string {
    return unwrap((this.p = settle(this.p, () => this.read("predicate"))));
  }
  subject(): string {
    return unwrap((this.s = settle(this.s, () => this.read("subject"))));
  }
  object(): string {
    return unwrap((this.o = settle(this.o, () => this.read("object"))));
  }
}

/**
 * Work shared by the reward functions of one completion: the parse, the normalised ground truth, the
 * preprocessed predictions (d.4) and the node matching (d.5). Each piece is computed once, on first use; a
 * failure is remembered and re-raised to every reward that needs that piece, so rewards still fail
 * independently.
 */
export class RewardContext {
  readonly similarity: Similarity;
  private answerSlot: Slot<PyValue> = UNSET;
  private gtNodesSlot: Slot<NodeNorm[]> = UNSET;
  private gtBoxSlot: Slot<Map<string, BoxNorm>> = UNSET;
  private predNodesSlot: Slot<NodeNorm[]> = UNSET;
  private predRelsSlot: Slot<LazyRel[]> = UNSET;
  private predBoxSlot: Slot<Map<string, BoxNorm>> = UNSET;
  private matchesSlot: Slot<NodeMatch[]> = UNSET;

  constructor(
    readonly input: RewardInput,
    similarity: Similarity = exactSimilarity,
  ) {
    this.similarity = similarity;
  }

  /** `parseJson(extractAnswer(completion))` (c.2). */
  answer(): PyValue {
    return unwrap((this.answerSlot = settle(this.answerSlot, () => {
      const v = parsePyJsonFast(extractAnswer(this.input.completion));
      if (v === NOT_JSON) throw new PyFailure("the answer is not valid JSON");
      return v;
    })));
  }

  /** Ground-truth nodes with raw ids and normalised boxes, dataset order. */
  gtNodes(): NodeNorm[] {
    return unwrap((this.gtNodesSlot = settle(this.gtNodesSlot, () =>
      this.input.gt.objects.map((o) => ({ id: o.id, box: pxToNorm(o.bbox, this.input.imageSize) })),
    )));
  }

  /** Raw ground-truth id → normalised box; the last duplicate wins (d.9). */
  gtBoxById(): Map<string, BoxNorm> {
    return unwrap((this.gtBoxSlot = settle(this.gtBoxSlot, () => new Map(this.gtNodes().map((n) => [n.id, n.box])))));
  }

  /** Predicted nodes after d.4 step 2: normalised boxes and `norm`ed ids, answer order, duplicates kept. */
  predNodes(): NodeNorm[] {
    return unwrap((this.predNodesSlot = settle(this.predNodesSlot, () => {
      const objs = iterate(field(this.answer(), "objects"), "objects");
      const out: NodeNorm[] = new Array(objs.length);
      const fx = 1 / this.input.boxScale[0];
      const fy = 1 / this.input.boxScale[1];
      for (let i = 0; i < objs.length; i++) {
        const o = objs[i]!;
        // Paths are built only on failure: this loop runs for every object of every completion.
        if (!isDict(o) || !Object.hasOwn(o, "bbox")) throw new PyFailure('missing key "bbox"', `objects[${i}]`);
        const b = o.bbox;
        if (!Array.isArray(b) || b.length !== 4 || !isNum(b[0]) || !isNum(b[1]) || !isNum(b[2]) || !isNum(b[3])) {
          throw new PyFailure("bbox is not 4 numbers", `objects[${i}].bbox`);
        }
        // Same arithmetic as modelToNorm (b.4): multiply by the reciprocal.
        const box: BoxNorm = [+b[0] * fx, +b[1] * fy, +b[2] * fx, +b[3] * fy];
        const id = Object.hasOwn(o, "id") ? o.id : undefined;
        if (typeof id !== "string") throw new PyFailure("id is missing or not a string", `objects[${i}].id`);
        out[i] = { id: norm(id), box };
      }
      return out;
    })));
  }

  /** Predicted relationships (edge variant of d.4: the key must exist; fields are read lazily). */
  predRels(): LazyRel[] {
    return unwrap((this.predRelsSlot = settle(this.predRelsSlot, () =>
      iterate(field(this.answer(), "relationships"), "relationships").map((r, i) => new LazyRel(r, i)),
    )));
  }

  /** Normalised predicted id → box; with duplicate ids the last one wins (d.9). */
  predBoxById(): Map<string, BoxNorm> {
    return unwrap((this.predBoxSlot = settle(this.predBoxSlot, () => new Map(this.predNodes().map((p) => [p.id, p.box])))));
  }

  /** Hungarian node matching of predictions to ground truth (d.5). */
  matches(): NodeMatch[] {
    return unwrap((this.matchesSlot = settle(this.matchesSlot, () => matchNodes(this.similarity, this.predNodes(), this.gtNodes()))));
  }
}
