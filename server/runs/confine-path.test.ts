import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { confinePath, PathConfinementError } from "./confine-path";

const top = mkdtempSync(path.join(tmpdir(), "sgg-confine-"));
const runs = path.join(top, "runs");
const data = path.join(top, "data");
const outside = path.join(top, "elsewhere");
for (const d of [runs, data, outside]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(outside, "secret.txt"), "x");
mkdirSync(path.join(runs, "1-a", "checkpoints", "step-00000001"), { recursive: true });
symlinkSync(outside, path.join(runs, "escape"));
symlinkSync(path.join(outside, "secret.txt"), path.join(data, "secret-link"));
symlinkSync(path.join(runs, "1-a"), path.join(data, "inner-link"));
const roots = [runs, data];

afterAll(() => rmSync(top, { recursive: true, force: true }));

function refused(p: string, field?: string): PathConfinementError {
  try {
    confinePath(p, { roots, field });
  } catch (e) {
    expect(e).toBeInstanceOf(PathConfinementError);
    return e as PathConfinementError;
  }
  throw new Error(`${JSON.stringify(p)} was accepted`);
}

describe("confinePath", () => {
  it("accepts paths inside a root, existing or not, and returns the real absolute path", () => {
    expect(confinePath(path.join(runs, "1-a", "checkpoints", "step-00000001"), { roots })).toBe(path.join(runs, "1-a", "checkpoints", "step-00000001"));
    expect(confinePath("2-new/config.json", { roots })).toBe(path.join(runs, "2-new", "config.json"));
    expect(confinePath(path.join(data, "store", "images", "ab", "abcdef"), { roots })).toBe(path.join(data, "store", "images", "ab", "abcdef"));
    expect(confinePath(runs, { roots })).toBe(runs);
    // A symlink between two allowed roots is fine; the result is where it really leads.
    expect(confinePath(path.join(data, "inner-link", "checkpoints"), { roots })).toBe(path.join(runs, "1-a", "checkpoints"));
  });

  it("refuses .. segments even when they would land inside", () => {
    expect(refused("../elsewhere/secret.txt").message).toContain('".."');
    expect(refused(`${runs}/1-a/../1-a`).message).toContain('".."');
    expect(refused("1-a/../../elsewhere").message).toContain('".."');
    expect(refused("..\\elsewhere").message).toContain('".."');
  });

  it("refuses absolute paths elsewhere, including a sibling that shares the root's prefix", () => {
    expect(refused("/etc/passwd").message).toContain("outside the allowed folders");
    expect(refused(path.join(outside, "secret.txt")).message).toContain("outside");
    mkdirSync(`${runs}-evil`, { recursive: true });
    expect(refused(`${runs}-evil/x`).message).toContain("outside");
  });

  it("refuses symlinks that lead out, for existing and not yet existing targets", () => {
    expect(refused(path.join(runs, "escape", "secret.txt")).message).toContain("symlink");
    expect(refused(path.join(runs, "escape", "new-folder", "file")).message).toContain("symlink");
    expect(refused(path.join(data, "secret-link")).message).toContain("symlink");
  });

  it("refuses NUL bytes, control characters and empty paths, naming the field", () => {
    const e = refused(`${runs}/a\0b`, "initCheckpointId");
    expect(e.message).toBe("initCheckpointId: path contains a NUL byte");
    expect(e.field).toBe("initCheckpointId");
    expect(refused(`${runs}/a\nb`).message).toContain("control character");
    expect(refused("   ").message).toContain("empty path");
  });
});
