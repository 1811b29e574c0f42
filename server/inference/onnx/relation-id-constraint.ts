/**
 * The tiny model's relationship-id constraint, as the trainer decodes with it (workers/trainer/
 * sgg_trainer/id_constraint.py, config `constrain_relation_ids`): a relationship end may only name an
 * object the answer has already listed. Token layout: an object is `OBJ_OPEN class DOT number …`, a
 * relationship `REL_OPEN class DOT number REL_PRED pred REL_OBJ class DOT number REL_CLOSE`, and MID
 * separates the objects from the relationships.
 */
import type { SceneGraphTokenizer } from "./scene-graph-tokenizer";

const OBJ_OPEN = '{"id": "';
const DOT = ".";
const MID = '\n  ],\n  "relationships": [\n';
const REL_OPEN = '{"subject": "';
const REL_OBJ = '", "object": "';

/**
 * Returns `allowed(generated)`: the token ids the next token may take after the completion tokens
 * `generated` (prompt excluded), or `undefined` where any token may follow. Restricted are the class
 * right after a relationship end opens (classes of listed objects) and the number right after that
 * class and its dot (numbers listed with that class); with no listed object nothing is restricted, so
 * the reward scores the model's own choice.
 */
export function relationIdConstraint(tok: SceneGraphTokenizer): (generated: readonly number[]) => number[] | undefined {
  const [objOpen, dot, mid, relOpen, relObj] = [OBJ_OPEN, DOT, MID, REL_OPEN, REL_OBJ].map((s) => tok.structureId(s));
  return (row) => {
    const n = row.length;
    if (n === 0) return undefined;
    let pick: number | undefined;
    if (row[n - 1] === relOpen || row[n - 1] === relObj) pick = undefined;
    else if (n >= 3 && row[n - 1] === dot && (row[n - 3] === relOpen || row[n - 3] === relObj)) pick = row[n - 2];
    else return undefined;
    const m = row.indexOf(mid!);
    if (m < 0) return undefined;
    const allowed = new Set<number>();
    for (let i = 0; i < m - 3; i++) {
      if (row[i] !== objOpen) continue;
      if (pick === undefined) allowed.add(row[i + 1]!);
      else if (row[i + 1] === pick) allowed.add(row[i + 3]!);
    }
    return allowed.size ? [...allowed].sort((a, b) => a - b) : undefined;
  };
}

/** A copy of `logits[offset .. offset + n)` with -Infinity on every id not in `allowed`. */
export function maskedLogits(logits: Float32Array, offset: number, n: number, allowed: readonly number[]): Float32Array {
  const out = new Float32Array(n).fill(-Infinity);
  for (const id of allowed) out[id] = logits[offset + id]!;
  return out;
}
