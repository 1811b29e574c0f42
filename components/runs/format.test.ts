import { describe, expect, it } from "vitest";
import { formatDuration, formatMetric, isActive } from "./format";

describe("run formats", () => {
  it("writes durations at a readable grain", () => {
    expect(formatDuration(45.4)).toBe("45 s");
    expect(formatDuration(725)).toBe("12 min 05 s");
    expect(formatDuration(3 * 3600 + 7 * 60 + 59)).toBe("3 h 07 min");
    expect(formatDuration(52 * 3600)).toBe("2 d 4 h");
    expect(formatDuration(null)).toBe("–");
  });

  it("writes metrics with four significant digits, exponents for the very small", () => {
    expect(formatMetric(0.123456)).toBe("0.1235");
    expect(formatMetric(6e-7)).toBe("6.00e-7");
    expect(formatMetric(1234.5)).toBe("1235");
    expect(formatMetric(0)).toBe("0");
    expect(formatMetric(Number.NaN)).toBe("–");
  });

  it("polls only queued and running runs", () => {
    expect(isActive("running")).toBe(true);
    expect(isActive("cancelled")).toBe(false);
  });
});
