import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EventFileTail, EventLogWriter } from "./run-event-log";

const top = mkdtempSync(path.join(tmpdir(), "sgg-event-log-"));
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe("events.jsonl", () => {
  it("follows a growing file line by line, holding back a partial line until it is finished", () => {
    const file = path.join(top, "grow.jsonl");
    const tail = new EventFileTail(file);
    expect(tail.poll()).toEqual([]); // not there yet
    writeFileSync(file, "a\nb\npar");
    expect(tail.poll()).toEqual([{ line: 1, text: "a" }, { line: 2, text: "b" }]);
    appendFileSync(file, "tial ünïcode\n\nc");
    expect(tail.poll()).toEqual([{ line: 3, text: "partial ünïcode" }, { line: 4, text: "" }]);
    expect(tail.flush()).toEqual([{ line: 5, text: "c" }]);
    expect(tail.lines).toBe(5);
  });

  it("continues the numbering after a replay, ending a partial last line first", () => {
    const file = path.join(top, "resume.jsonl");
    writeFileSync(file, '{"v":1}\n{"v":1,"type":"met'); // the writer died mid-line
    const replay = new EventFileTail(file);
    expect(replay.flush().map((l) => l.line)).toEqual([1, 2]);
    const writer = new EventLogWriter(file, replay.lines);
    expect(writer.append('{"v":1,"type":"log"}')).toBe(3);
    expect(writer.append("two\nlines")).toBe(4);
    writer.close();
    expect(readFileSync(file, "utf8")).toBe('{"v":1}\n{"v":1,"type":"met\n{"v":1,"type":"log"}\ntwo lines\n');
    const again = new EventFileTail(file);
    expect(again.flush().map((l) => [l.line, l.text])).toEqual([[1, '{"v":1}'], [2, '{"v":1,"type":"met'], [3, '{"v":1,"type":"log"}'], [4, "two lines"]]);
  });

  it("starts from a byte offset and line number (following a file after its replay)", () => {
    const file = path.join(top, "offset.jsonl");
    writeFileSync(file, "x\ny\n");
    const first = new EventFileTail(file);
    first.poll();
    appendFileSync(file, "z\n");
    const next = new EventFileTail(file, { offset: first.position, line: first.lines });
    expect(next.poll()).toEqual([{ line: 3, text: "z" }]);
  });
});
