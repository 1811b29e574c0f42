import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setAsideUnrecordedCheckpoints } from "./set-aside-unrecorded-checkpoints";

const top = mkdtempSync(path.join(tmpdir(), "sgg-set-aside-"));
afterAll(() => rmSync(top, { recursive: true, force: true }));

function folder(name: string, complete: boolean) {
  const dir = path.join(top, "checkpoints", name);
  mkdirSync(dir, { recursive: true });
  if (complete) writeFileSync(path.join(dir, "state.json"), "{}");
}

describe("setAsideUnrecordedCheckpoints", () => {
  it("moves complete checkpoints past the last recorded step and .tmp leftovers aside, keeps the rest", () => {
    folder("step-00000002", true);
    folder("step-00000004", true);
    folder("step-00000006", true);
    folder("step-00000008", false); // incomplete: the trainer ignores and overwrites it
    folder("step-00000008.tmp", true);
    const moved = setAsideUnrecordedCheckpoints(top, 5, new Date("2026-01-02T03:04:05.678Z"));
    expect(moved.map((m) => path.relative(top, m))).toEqual([
      "unrecorded-checkpoints/step-00000006-20260102T030405678Z",
      "unrecorded-checkpoints/step-00000008.tmp-20260102T030405678Z",
    ]);
    expect(readdirSync(path.join(top, "checkpoints")).sort()).toEqual(["step-00000002", "step-00000004", "step-00000008"]);
    expect(existsSync(path.join(moved[0]!, "state.json"))).toBe(true);
    expect(setAsideUnrecordedCheckpoints(top, 5)).toEqual([]);
    expect(setAsideUnrecordedCheckpoints(path.join(top, "nothing-here"), 0)).toEqual([]);
  });
});
