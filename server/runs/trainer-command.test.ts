import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { predictArgv, TRAINER_DIR, trainerArgv, trainerCommandOverride, trainerEnv } from "./trainer-command";

const cfg = { python: "/usr/bin/python3", configPath: "/r/config.json", runDir: "/r" };

describe("trainer command lines", () => {
  it("starts one process, or torchrun with one process per GPU, with --resume when asked", () => {
    expect(trainerArgv({ ...cfg, resume: false, gpus: 0 })).toEqual(["/usr/bin/python3", "-m", "sgg_trainer", "--config", "/r/config.json", "--run-dir", "/r"]);
    expect(trainerArgv({ ...cfg, resume: true, gpus: 1 })).toEqual(["/usr/bin/python3", "-m", "sgg_trainer", "--config", "/r/config.json", "--run-dir", "/r", "--resume"]);
    expect(trainerArgv({ ...cfg, resume: false, gpus: 4 })).toEqual([
      "/usr/bin/python3", "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "4", "--redirects", "2", "--tee", "2", "--log_dir", "/r/torchrun",
      "-m", "sgg_trainer", "--config", "/r/config.json", "--run-dir", "/r",
    ]);
  });

  it("puts an override in place of the interpreter for training and predictions", () => {
    const override = ["node", "fake.mjs"];
    expect(trainerArgv({ ...cfg, resume: true, gpus: 4, override })).toEqual(["node", "fake.mjs", "--config", "/r/config.json", "--run-dir", "/r", "--resume"]);
    const p = { python: "py", checkpoint: "/r/c", configPath: "/r/config.json", records: "/r/e.jsonl", out: "/r/p.jsonl" };
    expect(predictArgv({ ...p, maxImages: 16 })).toEqual(["py", "-m", "sgg_trainer.predict", "--checkpoint", "/r/c", "--config", "/r/config.json", "--records", "/r/e.jsonl", "--out", "/r/p.jsonl", "--max-images", "16"]);
    expect(predictArgv({ ...p, maxImages: 0, override })).toEqual(["node", "fake.mjs", "predict", "--checkpoint", "/r/c", "--config", "/r/config.json", "--records", "/r/e.jsonl", "--out", "/r/p.jsonl"]);
  });

  it("reads SGG_TRAINER_COMMAND as a JSON array of strings and names the variable when it is not one", () => {
    expect(trainerCommandOverride({})).toBeUndefined();
    expect(trainerCommandOverride({ SGG_TRAINER_COMMAND: " " })).toBeUndefined();
    expect(trainerCommandOverride({ SGG_TRAINER_COMMAND: '["node", "a b.mjs"]' })).toEqual(["node", "a b.mjs"]);
    for (const bad of ["node fake.mjs", "[]", '[""]', "[1]", '"node"', '["a\\u0000b"]']) {
      expect(() => trainerCommandOverride({ SGG_TRAINER_COMMAND: bad }), bad).toThrow(/^SGG_TRAINER_COMMAND: /);
    }
  });

  it("makes sgg_trainer importable and hides GPUs from a CPU run", () => {
    const e = trainerEnv({ PATH: "/bin", PYTHONPATH: "/x" }, 0);
    expect(e).toMatchObject({ PATH: "/bin", PYTHONPATH: `${TRAINER_DIR}:/x`, PYTHONUNBUFFERED: "1", CUDA_VISIBLE_DEVICES: "" });
    expect(trainerEnv({}, 2).CUDA_VISIBLE_DEVICES).toBeUndefined();
    expect(TRAINER_DIR.endsWith("/workers/trainer")).toBe(true);
  });
});

const hasTorch = spawnSync("/usr/bin/python3", ["-c", "import torch"], { timeout: 60_000 }).status === 0;

describe.skipIf(!hasTorch)("the torchrun command line", () => {
  it("runs two CPU processes of the tiny model; only rank 0's events reach stdout", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sgg-torchrun-"));
    try {
      const helpers = path.join(TRAINER_DIR, "tests");
      execFileSync("/usr/bin/python3", ["-c", `import helpers, pathlib; p = pathlib.Path(${JSON.stringify(dir)}); helpers.make_records(p); helpers.write_config(p, max_steps=2, threads=1)`], {
        env: { ...process.env, PYTHONPATH: `${helpers}:${TRAINER_DIR}` },
      });
      const argv = trainerArgv({ python: "/usr/bin/python3", configPath: path.join(dir, "config.json"), runDir: path.join(dir, "run"), resume: false, gpus: 2 });
      const r = spawnSync(argv[0]!, argv.slice(1), { env: trainerEnv(process.env, 0), timeout: 240_000 });
      expect(r.status, r.stderr.toString()).toBe(0);
      const events = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l));
      expect(events.map((e) => e.type)).toEqual(["log", "metric", "metric", "checkpoint", "done"]);
      expect(events[0].message).toContain("2 process(es)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
