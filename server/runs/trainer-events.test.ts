import { describe, expect, it } from "vitest";
import { parseTrainerLine } from "./trainer-events";

const ev = (o: Record<string, unknown>) => JSON.stringify({ v: 1, ...o });

describe("parseTrainerLine", () => {
  it("reads the five event types the trainer writes, keeping extra keys", () => {
    const lines = [
      '{"v":1,"type":"metric","step":3,"values":{"loss":1.5,"nan":null}}',
      '{"v":1,"type":"checkpoint","step":3,"path":"/run/checkpoints/step-00000003"}',
      ev({ type: "rollout", step: 3, prompt_id: "img1", image_size: [64, 48], box_scale: [1000, 1000], completions: [{ text: "x", reward: 1, values: { format: 1 }, advantage: 0.5, length: 4, failed: false }] }),
      ev({ type: "log", level: "info", message: "sft run", total_steps: 10 }),
      ev({ type: "done", step: 3, status: "completed", elapsed_s: 1.2 }),
    ];
    const out = lines.map(parseTrainerLine);
    expect(out.map((o) => (o.kind === "event" ? o.event.type : o.kind))).toEqual(["metric", "checkpoint", "rollout", "log", "done"]);
    const metric = out[0]!;
    expect(metric.kind === "event" && metric.event.type === "metric" && metric.event.values).toEqual({ loss: 1.5, nan: null });
    const log = out[3]!;
    expect(log.kind === "event" && log.event.total_steps).toBe(10);
  });

  it("turns anything else into a malformed result with the reason, never an exception", () => {
    const cases: [string, string][] = [
      ["Traceback (most recent call last):", "not JSON"],
      ['{"v":1,"type":"metric","step":1', "not JSON"],
      ["[1,2]", "not a JSON object"],
      ["42", "not a JSON object"],
      ['{"type":"log","level":"info","message":"m"}', "unsupported event version null"],
      ['{"v":2,"type":"log","level":"info","message":"m"}', "unsupported event version 2"],
      ['{"v":1,"type":"party"}', "bad party event"],
      ['{"v":1,"type":"metric","step":"3","values":{}}', "step"],
      ['{"v":1,"type":"metric","step":-1,"values":{}}', "step"],
      ['{"v":1,"type":"metric","step":1,"values":{"loss":"low"}}', "values.loss"],
      ['{"v":1,"type":"log","level":"debug","message":"m"}', "level"],
      ['{"v":1,"type":"done","step":1,"status":"ok"}', "status"],
      ['{"v":1,"type":"rollout","step":1,"prompt_id":"a","completions":[{"reward":1}]}', "completions.0.text"],
      ['{"v":1,"type":"checkpoint","step":1}', "path"],
    ];
    for (const [line, reason] of cases) {
      const r = parseTrainerLine(line);
      expect(r.kind, line).toBe("malformed");
      expect(r.kind === "malformed" && r.error, line).toContain(reason);
    }
    expect(parseTrainerLine("   ").kind).toBe("blank");
    const long = parseTrainerLine("x".repeat(10_000));
    expect(long.kind === "malformed" && long.error.length).toBeLessThan(200);
  });
});
