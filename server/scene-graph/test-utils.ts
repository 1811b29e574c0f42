import { expect } from "vitest";

/** Golden tolerance of the spec: 1e-9 absolute, or relative for magnitudes above 1. */
export function expectClose(actual: number | null | undefined, expected: number | null | undefined, label = ""): void {
  if (expected === null || expected === undefined || Number.isNaN(expected)) {
    expect(actual === null || actual === undefined || Number.isNaN(actual), `${label}: ${actual} vs ${expected}`).toBe(true);
    return;
  }
  expect(typeof actual, label).toBe("number");
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs((actual as number) - expected) <= tol, `${label}: ${actual} vs ${expected}`).toBe(true);
}
