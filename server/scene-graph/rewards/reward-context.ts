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

/** Computes a slot's value; a PyFailure becomes a remembered `Failed`. Callers check UNSET first. */
function settle<T>(compute: () => T): T | Failed {
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
  // These run in the edge rewards' inner loops: no closure is made once a field is known.
  predicate(): string {
    if (this.p === UNSET) this.p = settle(() => this.read("predicate"));
    return unwrap(this.p);
  }
  subject(): string {
    if (this.s === UNSET) this.s = settle(() => this.read("subject"));
    return unwrap(this.s);
  }
  object(): string {
    if (this.o === UNSET) this.o = settle(() => this.read("object"));
    return unwrap(this.o);
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
    if (this.answerSlot === UNSET) this.answerSlot = settle(() => {
      const v = parsePyJsonFast(extractAnswer(this.input.completion));
      if (v === NOT_JSON) throw new PyFailure("the answer is not valid JSON");
      return v;
    });
    return unwrap(this.answerSlot);
  }

  /** Ground-truth nodes with raw ids and normalised boxes, dataset order. */
  gtNodes(): NodeNorm[] {
    if (this.gtNodesSlot === UNSET) this.gtNodesSlot = settle(() =>
      this.input.gt.objects.map((o) => ({ id: o.id, box: pxToNorm(o.bbox, this.input.imageSize) })),
    );
    return unwrap(this.gtNodesSlot);
  }

  /** Raw ground-truth id → normalised box; the last duplicate wins (d.9). */
  gtBoxById(): Map<string, BoxNorm> {
    if (this.gtBoxSlot === UNSET) this.gtBoxSlot = settle(() => new Map(this.gtNodes().map((n) => [n.id, n.box])));
    return unwrap(this.gtBoxSlot);
  }

  /** Predicted nodes after d.4 step 2: normalised boxes and `norm`ed ids, answer order, duplicates kept. */
  predNodes(): NodeNorm[] {
    if (this.predNodesSlot === UNSET) this.predNodesSlot = settle(() => {
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
    });
    return unwrap(this.predNodesSlot);
  }

  /** Predicted relationships (edge variant of d.4: the key must exist; fields are read lazily). */
  predRels(): LazyRel[] {
    if (this.predRelsSlot === UNSET) this.predRelsSlot = settle(() =>
      iterate(field(this.answer(), "relationships"), "relationships").map((r, i) => new LazyRel(r, i)),
    );
    return unwrap(this.predRelsSlot);
  }

  /** Normalised predicted id → box; with duplicate ids the last one wins (d.9). */
  predBoxById(): Map<string, BoxNorm> {
    if (this.predBoxSlot === UNSET) this.predBoxSlot = settle(() => new Map(this.predNodes().map((p) => [p.id, p.box])));
    return unwrap(this.predBoxSlot);
  }

  /** Hungarian node matching of predictions to ground truth (d.5). */
  matches(): NodeMatch[] {
    if (this.matchesSlot === UNSET) this.matchesSlot = settle(() => matchNodes(this.similarity, this.predNodes(), this.gtNodes()));
    return unwrap(this.matchesSlot);
  }
}
