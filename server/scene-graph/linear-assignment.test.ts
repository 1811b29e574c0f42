import { describe, expect, it } from "vitest";
import fixture from "./fixtures/linear-assignment.json";
import { AssignmentError, linearSumAssignment } from "./linear-assignment";

describe("linearSumAssignment", () => {
  it("returns SciPy's pairs, ties included, on 400 random matrices", () => {
    for (const c of fixture.cases) {
      const rows = c.cost.length;
      const cols = c.cost[0]!.length;
      const pairs = linearSumAssignment(Float64Array.from(c.cost.flat()), rows, cols);
      expect(pairs.map((p) => p[0])).toEqual(c.rows);
      expect(pairs.map((p) => p[1])).toEqual(c.cols);
    }
  });
  it("handles empty matrices", () => {
    expect(linearSumAssignment(new Float64Array(0), 0, 3)).toEqual([]);
    expect(linearSumAssignment(new Float64Array(0), 3, 0)).toEqual([]);
  });
  it("rejects NaN and −∞ entries and infeasible matrices", () => {
    expect(() => linearSumAssignment(Float64Array.from([1, NaN]), 1, 2)).toThrow(AssignmentError);
    expect(() => linearSumAssignment(Float64Array.from([-Infinity, 1]), 1, 2)).toThrow(AssignmentError);
    expect(() => linearSumAssignment(Float64Array.from([Infinity, Infinity]), 1, 2)).toThrow(AssignmentError);
  });
});
