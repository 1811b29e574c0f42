/**
 * The train job on Slurm, with test doubles of sbatch, squeue, sacct and scancel on PATH
 * (workers/testing/fake-slurm) and the fake trainer: submission of the generated script, following the
 * events file the job writes, following a still-running job again after the worker stopped, scancel on
 * cancel, and a run folder full of shell metacharacters that nothing interprets.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const top = mkdtempSync(path.join(tmpdir(), "sgg-train-slurm-"));
const repo = path.resolve(import.meta.dirname, "../..");
// Every character here would run a command if the sbatch script let the shell read it.
const runsDir = path.join(top, "runs $(touch PWNED-dollar) `touch PWNED-tick` it's \"q\"; touch PWNED-semi");
const jobCwd = path.join(top, "cwd");
mkdirSync(jobCwd, { recursive: true });
process.chdir(jobCwd); // the script starts in the worker's folder: any injected `touch` would land here
process.env.SGG_DATA_DIR = path.join(top, "data");
process.env.SGG_RUNS_DIR = runsDir;
process.env.SGG_MODELS_DIR = path.join(top, "models");
process.env.SGG_TRAINER_COMMAND = JSON.stringify([process.execPath, path.join(repo, "workers/testing/fake-trainer.mjs")]);
process.env.FAKE_SLURM_DIR = path.join(top, "slurm");
process.env.PATH = `${path.join(repo, "workers/testing/fake-slurm")}:${process.env.PATH}`;
process.env.SGG_SLURM_POLL_SECONDS = "0.1";

const { createTestDatabase } = await import("../../server/db/test-database");
const { getQueue, stopQueues } = await import("../../server/jobs/queue");
const { createTrainingRun, TrainingRunError } = await import("../../server/runs/create-training-run");
const { ingestSyntheticSplit } = await import("../../server/runs/run-test-fixtures");
const { JobCancelledError } = await import("../runtime/run-job");
const { trainHandler } = await import("./train");
type Ctx = import("../job-context").JobContext;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let splitId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  splitId = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "train", images: 3 });
}, 120_000);
afterAll(async () => {
  await stopQueues();
  await db?.drop();
  process.chdir(repo);
  rmSync(top, { recursive: true, force: true });
});

const ctxFor = (jobId: string, attempt: number, signal = new AbortController().signal): Ctx => ({
  jobId,
  attempt,
  signal,
  prisma: db.prisma,
  databaseUrl: db.url,
  progress: async () => {},
  enqueue: async () => "",
  log: () => {},
});
const slurmForm = (extra: Record<string, unknown> = {}) => ({
  name: "on the cluster",
  kind: "sft" as const,
  model: { family: "tiny" as const, options: {} },
  splitId,
  maxSteps: 6,
  checkpointEvery: 2,
  gpus: 1,
  launcher: { type: "slurm" as const, partition: "gpu-a100", account: "proj_7", timeMinutes: 30 },
  ...extra,
});
const submitted = () => (existsSync(process.env.FAKE_SLURM_DIR!) ? readdirSync(process.env.FAKE_SLURM_DIR!) : []);
const injected = () => [...readdirSync(jobCwd), ...readdirSync(top), ...(existsSync(runsDir) ? readdirSync(runsDir) : [])].filter((f) => f.startsWith("PWNED"));
async function until(cond: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("trainHandler on Slurm", () => {
  it("refuses a partition or account that is not a plain name, naming the field", async () => {
    for (const partition of ["gpu$(id)", "gpu`id`", "gpu\n#SBATCH --uid=0", "g'p"]) {
      const err = await createTrainingRun(db.prisma, slurmForm({ launcher: { type: "slurm", partition, timeMinutes: 5 } }), { createdById: null, boss: await getQueue(db.url) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainingRunError);
      expect((err as InstanceType<typeof TrainingRunError>).field).toBe("launcher.partition");
    }
    expect(await db.prisma.run.count()).toBe(0);
  }, 120_000);

  it("submits the script, follows the events file and records the run; hostile folder names stay literal", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ malformedAtStep: 2 });
    const { runId, jobId } = await createTrainingRun(db.prisma, slurmForm(), { createdById: null, boss: await getQueue(db.url) });
    await trainHandler({ runId }, ctxFor(jobId, 0));
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.lastStep, run.launcher]).toEqual(["completed", 6, "slurm"]);
    expect(run.runDir.startsWith(runsDir)).toBe(true);
    expect(await db.prisma.metricPoint.count({ where: { runId } })).toBe(6 * 3);
    expect(await db.prisma.checkpoint.count({ where: { runId } })).toBe(3);
    expect(await db.prisma.runLog.count({ where: { runId, level: "warning" } })).toBe(2);
    const jobs = submitted();
    expect(jobs).toHaveLength(1);
    expect(run.slurmJobId).toBe(jobs[0]);
    const args = JSON.parse(readFileSync(path.join(process.env.FAKE_SLURM_DIR!, jobs[0]!, "argv.json"), "utf8"));
    expect(args).toEqual(["--parsable", `--output=${run.runDir}/slurm-%j.log`, path.join(run.runDir, "train.sbatch")]);
    const script = readFileSync(path.join(run.runDir, "train.sbatch"), "utf8");
    expect(script).toContain("#SBATCH --partition=gpu-a100\n#SBATCH --account=proj_7\n#SBATCH --time=30\n");
    expect(injected()).toEqual([]);
  }, 120_000);

  it("after the worker stops, the next attempt follows the same Slurm job instead of submitting again", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ stepDelayMs: 300 });
    const before = submitted().length;
    const { runId, jobId } = await createTrainingRun(db.prisma, slurmForm({ name: "follow again", maxSteps: 8 }), { createdById: null, boss: await getQueue(db.url) });
    const stop = new AbortController();
    const first = trainHandler({ runId }, ctxFor(jobId, 0, stop.signal)).catch((e: unknown) => e);
    await until(async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).lastStep >= 2);
    stop.abort(new Error("the worker stopped while this attempt ran"));
    expect(await first).toBeInstanceOf(Error);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
    await trainHandler({ runId }, ctxFor(jobId, 1));
    expect(submitted().length).toBe(before + 1);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.lastStep]).toEqual(["completed", 8]);
    expect(readFileSync(path.join(run.runDir, "fake-pids.txt"), "utf8").trim().split("\n")).toHaveLength(1); // one trainer start
    expect(await db.prisma.metricPoint.count({ where: { runId } })).toBe(8 * 3);
    expect(await db.prisma.rollout.count({ where: { runId } })).toBe(8);
  }, 120_000);

  it("cancelling scancels the job and marks the run cancelled", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ hangAtStep: 1 });
    const { runId, jobId } = await createTrainingRun(db.prisma, slurmForm({ name: "to cancel" }), { createdById: null, boss: await getQueue(db.url) });
    const stop = new AbortController();
    const running = trainHandler({ runId }, ctxFor(jobId, 0, stop.signal)).catch((e: unknown) => e);
    await until(async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).lastStep >= 1);
    const slurmId = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).slurmJobId!;
    stop.abort(new JobCancelledError(jobId));
    expect(await running).toBeInstanceOf(JobCancelledError);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
    expect(existsSync(path.join(process.env.FAKE_SLURM_DIR!, slurmId, "cancelled"))).toBe(true);
    await until(() => existsSync(path.join(process.env.FAKE_SLURM_DIR!, slurmId, "exit")));
  }, 120_000);
});
