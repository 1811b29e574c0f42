import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderSbatchScript, sbatchArgs, shellQuote, writeSbatchScript } from "./sbatch-script";

const top = mkdtempSync(path.join(tmpdir(), "sgg-sbatch-"));
afterAll(() => rmSync(top, { recursive: true, force: true }));

// Each would run a command if the script let the shell interpret it.
const HOSTILE = [
  "$(touch PWNED-dollar)",
  "`touch PWNED-backtick`",
  "it's \"quoted\" 'twice'",
  "line one\nline two; touch PWNED-newline",
  "; touch PWNED-semicolon && echo",
  "$HOME ${PATH} \\ * ? ~ ! #",
  "",
  "-n",
];

const base = { runId: 7, partition: "gpu", timeMinutes: 90, gpus: 2 };

describe("shellQuote", () => {
  it("round-trips any string through the shell as one literal argument", () => {
    for (const value of HOSTILE) {
      const out = execFileSync("bash", ["-c", `printf '%s' ${shellQuote(value)}`], { cwd: top }).toString();
      expect(out).toBe(value);
    }
    expect(readdirSync(top).filter((f) => f.startsWith("PWNED"))).toEqual([]);
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});

describe("renderSbatchScript", () => {
  it("fills the fixed template: validated directives, quoted paths and arguments", () => {
    const text = renderSbatchScript({ ...base, account: "proj-1", cwd: "/srv/sgg", eventsFile: "/runs/7-a/events.jsonl", stderrFile: "/runs/7-a/trainer.stderr", argv: ["/usr/bin/python3", "-m", "sgg_trainer", "--config", "/runs/7-a/config.json"], env: { PYTHONPATH: "/srv/sgg/workers/trainer" } });
    expect(text.split("\n").filter((l) => l.startsWith("#SBATCH"))).toEqual([
      "#SBATCH --job-name=sgg-run-7",
      "#SBATCH --partition=gpu",
      "#SBATCH --account=proj-1",
      "#SBATCH --time=90",
      "#SBATCH --nodes=1",
      "#SBATCH --ntasks=1",
      "#SBATCH --gres=gpu:2",
    ]);
    expect(text).toContain("export PYTHONPATH='/srv/sgg/workers/trainer'");
    expect(text).toContain("exec '/usr/bin/python3' '-m' 'sgg_trainer' '--config' '/runs/7-a/config.json' >> '/runs/7-a/events.jsonl' 2>> '/runs/7-a/trainer.stderr'");
  });

  it("refuses directive values outside their patterns, naming the option", () => {
    const ok = { ...base, cwd: "/", eventsFile: "/e", stderrFile: "/s", argv: ["x"] };
    for (const partition of ["gpu\n#SBATCH --uid=0", "gpu;rm", "$(id)", "`id`", "gpu partition", "'gpu'", ""]) {
      expect(() => renderSbatchScript({ ...ok, partition }), partition).toThrow(/partition/);
    }
    expect(() => renderSbatchScript({ ...ok, account: "a b" })).toThrow(/account/);
    expect(() => renderSbatchScript({ ...ok, timeMinutes: 1.5 })).toThrow(/timeMinutes/);
    expect(() => renderSbatchScript({ ...ok, gpus: 0 })).toThrow(/gpus/);
    expect(() => renderSbatchScript({ ...ok, env: { "A;B": "x" } })).toThrow(/env/);
    expect(() => renderSbatchScript({ ...ok, argv: ["a\0b"] })).toThrow(/argv/);
  });

  it("runs with hostile paths and arguments: the trainer receives them literally and nothing is executed", () => {
    const dir = path.join(top, "run $(touch PWNED-dir) `touch PWNED-tick` 'q'");
    mkdirSync(dir, { recursive: true });
    const printer = path.join(top, "print-argv.mjs");
    writeFileSync(printer, "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: process.env.HOSTILE }) + '\\n');\n");
    const argv = [process.execPath, printer, ...HOSTILE, "--run-dir", dir];
    const script = path.join(dir, "train.sbatch");
    const events = path.join(dir, "events.jsonl");
    return writeSbatchScript(script, { ...base, cwd: dir, eventsFile: events, stderrFile: path.join(dir, "trainer.stderr"), argv, env: { HOSTILE: HOSTILE[0]! + HOSTILE[3]! } }).then(() => {
      expect(statSync(script).mode & 0o777).toBe(0o700);
      execFileSync("bash", [script], { cwd: top });
      const got = JSON.parse(readFileSync(events, "utf8"));
      expect(got.argv).toEqual(argv.slice(2));
      expect(got.env).toBe(HOSTILE[0]! + HOSTILE[3]!);
      const made = [...readdirSync(top), ...readdirSync(dir)].filter((f) => f.startsWith("PWNED"));
      expect(made).toEqual([]);
      expect(existsSync(path.join(dir, "trainer.stderr"))).toBe(true);
    });
  });
});

describe("sbatchArgs", () => {
  it("submits with --parsable and escapes % in the Slurm log path", () => {
    expect(sbatchArgs("/r/train.sbatch", "/runs/5-a%b")).toEqual(["--parsable", "--output=/runs/5-a%%b/slurm-%j.log", "/r/train.sbatch"]);
  });
});
