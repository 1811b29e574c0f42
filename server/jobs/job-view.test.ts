import { describe, expect, it } from "vitest";
import { estimateEtaSeconds, isStale, STALE_AFTER_MS, toJobView, type JobViewRow } from "./job-view";

const now = new Date("2026-03-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

const row = (over: Partial<JobViewRow> = {}): JobViewRow => ({
  id: "0b7e2c1e-1f4a-4c1e-9a57-3c2b6d1e8f00",
  name: "evaluate",
  status: "running",
  payload: { predictionSetId: 3 },
  progressDone: 0,
  progressTotal: null,
  message: "",
  error: null,
  attempts: 1,
  cancelRequestedAt: null,
  createdAt: ago(120_000),
  startedAt: ago(60_000),
  finishedAt: null,
  heartbeatAt: ago(1000),
  createdBy: null,
  ...over,
});

describe("job view", () => {
  it("estimates the time left from the rate since the attempt started", () => {
    // 25 of 100 in 60 s: 75 left at 25/60 per second is 180 s.
    expect(estimateEtaSeconds(row({ progressDone: 25, progressTotal: 100 }), now)).toBe(180);
    expect(estimateEtaSeconds(row({ progressDone: 100, progressTotal: 100 }), now)).toBe(0);
  });

  it("has no ETA without a total, before the first unit, or when not running", () => {
    expect(estimateEtaSeconds(row({ progressDone: 25, progressTotal: null }), now)).toBeNull();
    expect(estimateEtaSeconds(row({ progressDone: 0, progressTotal: 100 }), now)).toBeNull();
    expect(estimateEtaSeconds(row({ status: "queued", progressDone: 25, progressTotal: 100 }), now)).toBeNull();
    expect(estimateEtaSeconds(row({ startedAt: null, progressDone: 25, progressTotal: 100 }), now)).toBeNull();
  });

  it("flags a running job whose heartbeat is older than two minutes", () => {
    expect(isStale(row({ heartbeatAt: ago(STALE_AFTER_MS - 1000) }), now)).toBe(false);
    expect(isStale(row({ heartbeatAt: ago(STALE_AFTER_MS + 1000) }), now)).toBe(true);
    expect(isStale(row({ heartbeatAt: null, startedAt: ago(STALE_AFTER_MS + 1000) }), now)).toBe(true);
    expect(isStale(row({ status: "completed", heartbeatAt: ago(STALE_AFTER_MS * 10) }), now)).toBe(false);
  });

  it("shows progress as a fraction, attempts against the queue's limit, and ISO dates", () => {
    const v = toJobView(row({ progressDone: 30, progressTotal: 120, cancelRequestedAt: ago(5), createdBy: { username: "ada" } }), now);
    expect(v).toMatchObject({ fraction: 0.25, maxAttempts: 4, cancelRequested: true, createdBy: "ada", startedAt: ago(60_000).toISOString(), etaSeconds: 180, stale: false });
    expect(toJobView(row({ progressDone: 0, progressTotal: 0 }), now).fraction).toBe(1);
    expect(toJobView(row({ progressDone: 9, progressTotal: 4 }), now).fraction).toBe(1);
    expect(toJobView(row({ name: "ingest" }), now).maxAttempts).toBeNull();
  });
});
