/**
 * Orderings of float64 keys used by the metrics (method.md appendix B).
 *
 * `numpyArgsortF64` reproduces numpy 1.24's default `argsort` (introsort: median-of-3 quicksort,
 * insertion sort below 16 elements, heapsort past a depth limit). It is not stable; the reference's
 * ng-R@K ranking depends on its exact tie order. Later numpy builds on AVX-512 machines sort
 * differently, so the order is pinned to this algorithm rather than to "whatever numpy does".
 */

const SMALL_QUICKSORT = 15;

/** numpy's `less` for floats: NaN sorts after every number; -0 and 0 compare equal. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/**
 * Indices that sort `keys` ascending, in numpy 1.24 `np.argsort(keys)` order (default kind,
 * float64 keys, NaN last). Keys are plain numbers (no unit); the result holds positions in `keys`.
 *
 * @param keys  values to order; not modified.
 * @param limit how many leading indices to return (all by default).
 */
export function numpyArgsortF64(keys: Float64Array | readonly number[], limit?: number): Int32Array {
  const v = keys instanceof Float64Array ? keys : Float64Array.from(keys);
  const n = v.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n > 1) introsort(v, idx, n);
  const k = limit === undefined ? n : Math.max(0, Math.min(n, Math.floor(limit)));
  return k === n ? idx : idx.slice(0, k);
}

function introsort(v: Float64Array, idx: Int32Array, n: number): void {
  // Explicit stack of (lo, hi, depth) triples, as numpy keeps it (bounded by 2·log2(n) + slack).
  const stack: number[] = [];
  let lo = 0;
  let hi = n - 1;
  let depth = 2 * (31 - Math.clz32(n));
  for (;;) {
    if (depth < 0) {
      heapsort(v, idx, lo, hi - lo + 1);
    } else {
      while (hi - lo > SMALL_QUICKSORT) {
        const mid = lo + ((hi - lo) >> 1);
        if (less(v[idx[mid]!]!, v[idx[lo]!]!)) swap(idx, mid, lo);
        if (less(v[idx[hi]!]!, v[idx[mid]!]!)) swap(idx, hi, mid);
        if (less(v[idx[mid]!]!, v[idx[lo]!]!)) swap(idx, mid, lo);
        const pivot = v[idx[mid]!]!;
        let i = lo;
        let j = hi - 1;
        swap(idx, mid, j);
        for (;;) {
          do i++; while (less(v[idx[i]!]!, pivot));
          do j--; while (less(pivot, v[idx[j]!]!));
          if (i >= j) break;
          swap(idx, i, j);
        }
        swap(idx, i, hi - 1);
        depth--;
        // Recurse into the smaller side now; the larger one waits on the stack.
        if (i - lo < hi - i) {
          stack.push(i + 1, hi, depth);
          hi = i - 1;
        } else {
          stack.push(lo, i - 1, depth);
          lo = i + 1;
        }
      }
      // Insertion sort: strictly smaller keys move left, so equal keys keep their current order.
      for (let p = lo + 1; p <= hi; p++) {
        const x = idx[p]!;
        const vx = v[x]!;
        let q = p;
        while (q > lo && less(vx, v[idx[q - 1]!]!)) {
          idx[q] = idx[q - 1]!;
          q--;
        }
        idx[q] = x;
      }
    }
    if (stack.length === 0) return;
    depth = stack.pop()!;
    hi = stack.pop()!;
    lo = stack.pop()!;
  }
}

/** numpy's `aheapsort` on `idx[lo .. lo+m-1]`, with 1-based heap positions. */
function heapsort(v: Float64Array, idx: Int32Array, lo: number, m: number): void {
  const base = lo - 1;
  for (let l = m >> 1; l > 0; l--) siftDown(v, idx, base, idx[base + l]!, l, m);
  for (let k = m; k > 1; k--) {
    const t = idx[base + k]!;
    idx[base + k] = idx[base + 1]!;
    siftDown(v, idx, base, t, 1, k - 1);
  }
}

function siftDown(v: Float64Array, idx: Int32Array, base: number, t: number, start: number, end: number): void {
  const vt = v[t]!;
  let i = start;
  let j = 2 * start;
  while (j <= end) {
    if (j < end && less(v[idx[base + j]!]!, v[idx[base + j + 1]!]!)) j++;
    if (!less(vt, v[idx[base + j]!]!)) break;
    idx[base + i] = idx[base + j]!;
    i = j;
    j *= 2;
  }
  idx[base + i] = t;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Stable alternative to the numpy order (labelled, never the default for reproduced numbers):
 * indices by score descending, ties by index ascending. NaN scores go last.
 *
 * @param scores plain numbers (no unit); not modified.
 * @param limit  how many leading indices to return (all by default).
 */
export function stableArgsortDesc(scores: Float64Array | readonly number[], limit?: number): Int32Array {
  const n = scores.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa > sb || (sb !== sb && sa === sa)) return -1;
    if (sb > sa || (sa !== sa && sb === sb)) return 1;
    return a - b;
  });
  const k = limit === undefined ? n : Math.max(0, Math.min(n, Math.floor(limit)));
  return k === n ? idx : idx.slice(0, k);
}
