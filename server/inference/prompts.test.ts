import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inferencePrompt, PLAIN_SYSTEM, pyJsonString, THINK_SYSTEM, userPrompt, vocabularyNames } from "./prompts";

const TRAINER = path.resolve(__dirname, "../../workers/trainer");
const PYTHON = "/usr/bin/python3";

/** The trainer's prompt texts (prompts.py needs no torch). */
function pythonPrompts(classes: string[], predicates: string[]): { closed: string; open: string; think: string; plain: string } {
  const code = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(TRAINER)})`,
    "from sgg_trainer.prompts import user_prompt, THINK_SYSTEM, PLAIN_SYSTEM",
    "v = json.load(sys.stdin)",
    "print(json.dumps({'closed': user_prompt('closed', v['c'], v['p']), 'open': user_prompt('open'), 'think': THINK_SYSTEM, 'plain': PLAIN_SYSTEM}))",
  ].join("\n");
  return JSON.parse(execFileSync(PYTHON, ["-c", code], { input: JSON.stringify({ c: classes, p: predicates }), encoding: "utf8" })) as never;
}

describe("inference prompts (method.md b.1)", () => {
  it.skipIf(!existsSync(PYTHON))("are the trainer's texts, byte for byte, for VG150 and PSG", () => {
    for (const type of ["vg", "psg"] as const) {
      const { classes, predicates } = vocabularyNames(type);
      const py = pythonPrompts(["__background__", ...classes], predicates);
      expect(userPrompt("closed", classes, predicates)).toBe(py.closed);
      expect(userPrompt("open")).toBe(py.open);
      expect(THINK_SYSTEM).toBe(py.think);
      expect(PLAIN_SYSTEM).toBe(py.plain);
    }
  });

  it("lists the dataset's own vocabulary in the closed prompt and nothing in the open one", () => {
    const vg = inferencePrompt("vg", "closed", "plain");
    expect(vg.system).toBe(PLAIN_SYSTEM);
    expect(vg.user).toContain('Allowed object names: ["airplane", "animal", "arm"');
    expect(vg.user).not.toContain("__background__");
    expect(inferencePrompt("psg", "closed", "think").user).toContain('"tree-merged"');
    expect(inferencePrompt("psg", "closed", "think").system).toBe(THINK_SYSTEM);
    const open = inferencePrompt("vg", "open", "plain").user;
    expect(open).not.toContain("Allowed");
    // b.1 order: instruction, fenced schema, guidelines, example, final request.
    const at = (s: string) => open.indexOf(s);
    expect(at("Generate a structured scene graph")).toBe(0);
    expect(at("```json")).toBeLessThan(at("Guidelines:"));
    expect(at("Guidelines:")).toBeLessThan(at("Example:"));
    expect(open.endsWith("Now generate the complete scene graph for the provided image.")).toBe(true);
  });

  it("escapes names like Python's json.dumps", () => {
    expect(pyJsonString("café")).toBe('"caf\\u00e9"');
    expect(pyJsonString('a"b')).toBe('"a\\"b"');
  });
});
