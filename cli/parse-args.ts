import { InvalidArgumentError } from "commander";

/** Option parser for counts, seeds and ids: a positive integer, or a usage error naming the rule. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}
