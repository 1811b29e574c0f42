import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { runLogTail } from "./run-log-tail";

let db: TestDatabase;
let runId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  runId = (await db.prisma.run.create({ data: { name: "a", kind: "sft", config: {}, runDir: "/tmp/a" } })).id;
  await db.prisma.runLog.createMany({ data: Array.from({ length: 50 }, (_, i) => ({ runId, line: (i + 1) * 2, level: i === 49 ? "error" : "info", message: `line ${(i + 1) * 2}` })) });
});
afterAll(async () => {
  await db?.drop();
});

describe("runLogTail", () => {
  it("returns the last lines oldest first", async () => {
    const t = await runLogTail(db.prisma, runId, { limit: 3 });
    expect(t.lines.map((l) => l.message)).toEqual(["line 96", "line 98", "line 100"]);
    expect(t.lines[2]).toMatchObject({ line: 100, level: "error" });
    expect(t.lastLine).toBe(100);
  });

  it("returns only lines after afterLine", async () => {
    const t = await runLogTail(db.prisma, runId, { afterLine: 95, limit: 100 });
    expect(t.lines.map((l) => l.line)).toEqual([96, 98, 100]);
    const none = await runLogTail(db.prisma, runId, { afterLine: 100 });
    expect(none).toEqual({ lines: [], lastLine: 100 });
  });

  it("is empty for a run without logs", async () => {
    expect(await runLogTail(db.prisma, runId + 1)).toEqual({ lines: [], lastLine: null });
  });
});
