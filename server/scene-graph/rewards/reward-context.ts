import { modelToNorm, pxToNorm } from "../boxes";
import { extractAnswer } from "../extract-answer";
import { matchNodes, type NodeMatch, type NodeNorm } from "../match-nodes";
import { field, isNum, iterate, num, parsePyJson, PyFailure, str, type PyValue } from "../py-json";
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

type Memo<T> = { ok: true; value: T } | { ok: false; error: PyFailure };

function memo<T>(fn: () => T): () => T {
  let m: Memo<T> | undefined;
  return () => {
    if (!m) {
      try {
        m = { ok: true, value: fn() };
      } catch (e) {
        if (!(e instanceof PyFailure)) throw e;
        m = { ok: false, error: e };
      }
    }
    if (!m.ok) throw m.error;
    return m.value;
  };
}

/** A predicted relationship whose fields are normalised on first use, failing only where Python would. */
export interface LazyRel {
  readonly raw: PyValue;
  predicate(): string;
  subject(): string;
  object(): string;
}

function lazyRel(raw: PyValue, i: number): LazyRel {
  const get = (key: string) => memo(() => norm(str(field(raw, key, `relationships[${i}]`), `relationships[${i}].${key}`)));
  return { raw, predicate: get("predicate"), subject: get("subject"), object: get("object") };
}

/**
 * Work shared by the reward functions of one completion: the parse, the normalised ground truth, the
 * preprocessed predictions (d.4) and the node matching (d.5). Each piece is computed once; a failure is
 * remembered and re-raised to every reward that needs that piece, so rewards still fail independently.
 */
export class RewardContext {
  readonly similarity: Similarity;
  readonly gtNodes: readonly NodeNorm[];
  /** Raw ground-truth id → normalised box; the last duplicate wins (d.9). */
  readonly gtBoxById: ReadonlyMap<string, BoxNorm>;

  constructor(
    readonly input: RewardInput,
    similarity: Similarity = exactSimilarity,
  ) {
    this.similarity = similarity;
    const nodes: NodeNorm[] = [];
    const byId = new Map<string, BoxNorm>();
    for (const o of input.gt.objects) {
      const box = pxToNorm(o.bbox, input.imageSize);
      nodes.push({ id: o.id, box });
      byId.set(o.id, box);
    }
    this.gtNodes = nodes;
    this.gtBoxById = byId;
  }

  /** `parseJson(extractAnswer(completion))` (c.2). */
  readonly answer = memo((): PyValue => {
    const r = parsePyJson(extractAnswer(this.input.completion));
    if (!r.ok) throw new PyFailure(`invalid JSON: ${r.error.message} (char ${r.error.offset})`);
    return r.value;
  });

  /** Predicted nodes after d.4 step 2: normalised boxes and `norm`ed ids, answer order, duplicates kept. */
  readonly predNodes = memo((): NodeNorm[] => {
    const objs = iterate(field(this.answer(), "objects"), "objects");
    const out: NodeNorm[] = new Array(objs.length);
    for (let i = 0; i < objs.length; i++) {
      const path = `objects[${i}]`;
      const o = objs[i]!;
      const b = field(o, "bbox", path);
      if (!Array.isArray(b) || b.length !== 4 || !b.every(isNum)) throw new PyFailure("bbox is not 4 numbers", `${path}.bbox`);
      const box = modelToNorm([num(b[0]), num(b[1]), num(b[2]), num(b[3])], this.input.boxScale);
      out[i] = { id: norm(str(field(o, "id", path), `${path}.id`)), box };
    }
    return out;
  });

  /** Predicted relationships (edge variant of d.4: the key must exist; fields are read lazily). */
  readonly predRels = memo((): LazyRel[] => {
    const rels = iterate(field(this.answer(), "relationships"), "relationships");
    return rels.map(lazyRel);
  });

  /** Normalised predicted id → box; with duplicate ids the last one wins (d.9). */
  readonly predBoxById = memo((): ReadonlyMap<string, BoxNorm> => {
    const m = new Map<string, BoxNorm>();
    for (const p of this.predNodes()) m.set(p.id, p.box);
    return m;
  });

  /** Hungarian node matching of predictions to ground truth (d.5). */
  readonly matches = memo((): NodeMatch[] => matchNodes(this.similarity, this.predNodes(), this.gtNodes));
}
