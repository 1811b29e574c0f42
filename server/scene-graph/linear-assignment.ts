/**
 * Rectangular linear assignment, the shortest-augmenting-path method (Crouse 2016) exactly as SciPy's
 * `linear_sum_assignment` runs it, including its choice among equal-cost optima (method.md appendix A).
 * The node matching depends on that choice, so this is not interchangeable with another solver.
 */

/** Why an assignment is impossible; the reward guard turns this into a failure. */
export class AssignmentError extends Error {}

/**
 * Solves min-cost assignment on a row-major `rows × cols` cost matrix.
 * Returns `[rowIdx, colIdx]` pairs (min(rows, cols) of them) sorted by row.
 * Throws `AssignmentError` on NaN or −∞ entries or an infeasible matrix.
 */
export function linearSumAssignment(cost: Float64Array, rows: number, cols: number): Array<[number, number]> {
  if (rows === 0 || cols === 0) return [];
  const transposed = cols < rows;
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  let c = cost;
  if (transposed) {
    c = new Float64Array(nr * nc);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) c[j * nc + i] = cost[i * cols + j]!;
  }
  for (let k = 0; k < c.length; k++) {
    const x = c[k]!;
    if (Number.isNaN(x) || x === -Infinity) throw new AssignmentError("cost matrix contains invalid numeric entries");
  }

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const sr = new Uint8Array(nr);
  const sc = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let cur = 0; cur < nr; cur++) {
    let minVal = 0;
    let i = cur;
    let sink = -1;
    let numRemaining = nc;
    for (let t = 0; t < nc; t++) remaining[t] = nc - t - 1;
    sr.fill(0);
    sc.fill(0);
    shortest.fill(Infinity);

    while (sink === -1) {
      sr[i] = 1;
      let best = -1;
      let lowest = Infinity;
      const base = i * nc;
      for (let t = 0; t < numRemaining; t++) {
        const j = remaining[t]!;
        const r = minVal + c[base + j]! - u[i]! - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        const d = shortest[j]!;
        if (d < lowest || (d === lowest && row4col[j] === -1)) {
          lowest = d;
          best = t;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new AssignmentError("cost matrix is infeasible");
      const j = remaining[best]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      sc[j] = 1;
      remaining[best] = remaining[--numRemaining]!;
    }

    u[cur] = u[cur]! + minVal;
    for (let r = 0; r < nr; r++) {
      if (sr[r] && r !== cur) u[r] = u[r]! + (minVal - shortest[col4row[r]!]!);
    }
    for (let j = 0; j < nc; j++) {
      if (sc[j]) v[j] = v[j]! - (minVal - shortest[j]!);
    }

    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const prev = col4row[r]!;
      col4row[r] = j;
      j = prev;
      if (r === cur) break;
    }
  }

  const out: Array<[number, number]> = new Array(nr);
  if (!transposed) {
    for (let r = 0; r < nr; r++) out[r] = [r, col4row[r]!];
    return out;
  }
  for (let k = 0; k < nr; k++) out[k] = [col4row[k]!, k];
  out.sort((a, b) => a[0] - b[0]);
  return out;
}
