/** numpy's `rint(x · 10000) / 10000`: round half to even at four decimals (appendix E, family A). */
export function round4(x: number): number {
  return roundHalfEven(x * 10000) / 10000;
}

/** Round to the nearest integer, ties to even (IEEE rint). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  // Math.round sends ties up; pull exact .5 ties on odd results back down.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Python's `round(x, 4)` for the failure rate: the exact binary value of `x` rounded to 4 decimals, ties
 * to even. `toFixed` also rounds the exact binary value but breaks exact ties upward. An exact tie needs
 * x·20000 to be an odd integer, which for a double means x = j/32 with j odd.
 */
export function pyRound4(x: number): number {
  if (!Number.isFinite(x)) return x;
  const j = x * 32;
  if (Number.isInteger(j) && j % 2 !== 0) return roundHalfEven(x * 10000) / 10000;
  return Number(x.toFixed(4));
}

/** Arithmetic mean; NaN for an empty list (numpy's mean of an empty array). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
