import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, formatPercent, jobSubject } from "./format";

describe("job page formatting", () => {
  it("writes durations in the largest sensible units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(59.4)).toBe("59 s");
    expect(formatDuration(90)).toBe("2 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3900)).toBe("1 h 5 min");
    expect(formatDuration(3 * 86400 + 7200)).toBe("3 d 2 h");
  });

  it("writes percentages with one decimal, clamped, and nothing without a total", () => {
    expect(formatPercent(0.4251)).toBe("42.5%");
    expect(formatPercent(1.2)).toBe("100.0%");
    expect(formatPercent(null)).toBeNull();
  });

  it("says how long ago and what the job is about", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(formatAgo("2026-03-01T11:57:00Z", now)).toBe("3 min ago");
    expect(formatAgo("2026-03-01T11:59:58Z", now)).toBe("just now");
    expect(formatAgo(null, now)).toBe("–");
    expect(jobSubject({ predictionSetId: 3 })).toBe("prediction set 3");
    expect(jobSubject({ runId: 7 })).toBe("run 7");
    expect(jobSubject("weird")).toBe("");
  });
});
