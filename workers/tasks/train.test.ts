/**
 * The train job end to end against a real test database, with the scripted fake trainer
 * (workers/testing/fake-trainer.mjs) in place of Python: crash and resume, replays, malformed lines,
 * a bad config, cancellation, checkpoint evaluations, and a worker killed mid-run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const top = mkdtempSync(path.join(tmpdir(), "sgg-train-job-"));
const repo = path.resolve(import.meta.dirname, "../..");
process.env.SGG_DATA_DIR = path.join(top, "data");
process.env.SGG_RUNS_DIR = path.join(top, "runs");
process.env.SGG_MODELS_DIR = path.join(top, "models");
process.env.SGG_TRAINER_COMMAND = JSON.stringify([process.execPath, path.join(repo, "workers/testing/fake-trainer.mjs")]);

const { createTestDatabase } = await import("../../server/db/test-database");
const { enqueueJob } = await import("../../server/jobs/enqueue-job");
const { getQueue, stopQueues } = await import("../../server/jobs/queue");
const { evaluatePredictionSet } = await import("../../server/evaluation/evaluate-prediction-set");
const { createTrainingRun } = await import("../../server/runs/create-training-run");
const { ingestSyntheticSplit } = await import("../../server/runs/run-test-fixtures");
const { PermanentJobError } = await import("../job-context");
const { JobCancelledError } = await import("../runtime/run-job");
const { trainHandler } = await import("./train");
type Ctx = import("../job-context").JobContext;
type Db = import("../../server/db/test-database").TestDatabase;

let db: Db;
let trainSplit: number;
let valSplit: number;
beforeAll(async () => {
  db = await createTestDatabase();
  trainSplit = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "train", images: 5 });
  valSplit = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "val", images: 3 });
}, 120_000);
afterAll(async () => {
  await stopQueues();
  await db?.drop();
  rmSync(top, { recursive: true, force: true });
});

function ctxFor(jobId: string, attempt: number, signal = new AbortController().signal): Ctx & { progressCalls: [number, number | null][] } {
  const progressCalls: [number, number | null][] = [];
  return {
    jobId,
    attempt,
    signal,
    prisma: db.prisma,
    databaseUrl: db.url,
    progressCalls,
    progress: async (done, total) => void progressCalls.push([done, total]),
    enqueue: async (name, payload) => {
      const boss = await getQueue(db.url);
      return db.prisma.$transaction((tx) => enqueueJob(tx, boss, name, payload));
    },
    log: () => {},
  };
}

async function newRun(extra: Record<string, unknown> = {}) {
  return createTrainingRun(
    db.prisma,
    { name: `fake ${Math.random().toString(36).slice(2, 7)}`, kind: "grpo", model: { family: "tiny", options: {} }, splitId: trainSplit, maxSteps: 8, checkpointEvery: 2, ...extra },
    { createdById: null, boss: await getQueue(db.url) },
  );
}

const counts = async (runId: number) => ({
  metrics: await db.prisma.metricPoint.count({ where: { runId } }),
  checkpoints: await db.prisma.checkpoint.count({ where: { runId } }),
  rollouts: await db.prisma.rollout.count({ where: { runId } }),
  logs: await db.prisma.runLog.count({ where: { runId } }),
});
const fileLines = (runDir: string) => readFileSync(path.join(runDir, "events.jsonl"), "utf8").split("\n").filter((l) => l !== "");
const pidsOf = (runDir: string) => readFileSync(path.join(runDir, "fake-pids.txt"), "utf8").trim().split("\n").map((l) => Number(l.split(" ")[0]));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};
async function until(cond: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("trainHandler with the fake trainer", () => {
  it("after a crash, the retry replays the log and resumes: every row once, checkpoints evaluated", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ crashAtStep: 5, malformedAtStep: 3 });
    const { runId, jobId } = await newRun({ evalSplitId: valSplit, evalImages: 2 });
    const first = ctxFor(jobId, 0);
    const err = await trainHandler({ runId }, first).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentJobError);
    let run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("queued"); // retries remain
    expect(run.error).toContain("simulated crash");
    expect(run.lastStep).toBe(5);
    expect(await counts(runId)).toMatchObject({ metrics: 5 * 3, checkpoints: 2, rollouts: 5 });
    // The malformed lines are warnings at their line numbers; the run went on past them.
    const warnings = await db.prisma.runLog.findMany({ where: { runId, level: "warning" }, orderBy: { line: "asc" } });
    expect(warnings.map((w) => w.message.replace(/:.*/, ""))).toEqual(["events.jsonl line 9", "events.jsonl line 10"]);
    expect(first.progressCalls.at(-1)).toEqual([5, 8]);

    const second = ctxFor(jobId, 1);
    await trainHandler({ runId }, second);
    run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.lastStep, run.totalSteps, run.error]).toEqual(["completed", 8, 8, null]);
    const after = await counts(runId);
    expect(after).toMatchObject({ metrics: 8 * 3, checkpoints: 4, rollouts: 8 });
    const lines = fileLines(run.runDir);
    // The resumed trainer repeated step 5 (its newest checkpoint was step 4): twice in the file, once stored.
    expect(lines.filter((l) => l.includes('"type":"metric","step":5,')).length).toBe(2);
    expect(await db.prisma.metricPoint.findMany({ where: { runId, name: "loss" }, orderBy: { step: "asc" }, select: { step: true } })).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((step) => ({ step })));
    // One RunLog row per log line, malformed line and worker note in the file, each at its own line.
    const logLines = lines.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => !l.startsWith("{") || /"type":"(log|done)"/.test(l) || l.includes('"step":"three"'));
    expect((await db.prisma.runLog.findMany({ where: { runId }, orderBy: { line: "asc" } })).map((r) => r.line)).toEqual(logLines.map((x) => x.n));
    const rollout = await db.prisma.rollout.findFirstOrThrow({ where: { runId, step: 2 } });
    expect(rollout.imageId).not.toBeNull();
    expect(rollout.rewardStd).toBeCloseTo(Math.sqrt(7 / 3), 12); // rewards 2, 3, 5
    const ck = await db.prisma.checkpoint.findMany({ where: { runId }, orderBy: { step: "asc" }, include: { model: true, predictionSets: true } });
    expect(ck.map((c) => [c.step, c.format, c.model.name, c.path])).toEqual([2, 4, 6, 8].map((s) => [s, "torch", "tiny-sgg", path.join(run.runDir, "checkpoints", `step-${String(s).padStart(8, "0")}`)]));

    // Every checkpoint has its predictions on the eval subset and an evaluate job.
    expect(ck.map((c) => c.predictionSets.length)).toEqual([1, 1, 1, 1]);
    const setIds = ck.map((c) => c.predictionSets[0]!.id);
    expect(await db.prisma.prediction.count({ where: { predictionSetId: { in: setIds } } })).toBe(4 * 2);
    const evalJobs = await db.prisma.job.findMany({ where: { name: "evaluate" } });
    expect(evalJobs.map((j) => (j.payload as { predictionSetId: number }).predictionSetId).sort()).toEqual([...setIds].sort());
    const { report } = await evaluatePredictionSet(db.prisma, { predictionSetId: setIds[3]! });
    const answered = report.per_image.filter((p) => p.predicted);
    expect(answered).toHaveLength(2);
    for (const p of answered) expect(p.ngr_hits).toBe(p.gt_relations); // the fake answers with the ground truth

    // A third attempt changes nothing: the run is complete and its checkpoints are evaluated.
    const before = await counts(runId);
    await trainHandler({ runId }, ctxFor(jobId, 2));
    expect(await counts(runId)).toEqual(before);
    expect(await db.prisma.job.count({ where: { name: "evaluate" } })).toBe(4);
    expect(await db.prisma.predictionSet.count()).toBe(4);
  }, 120_000);

  it("a bad config (exit 2) fails the run at once, naming the field", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ configError: true });
    const { runId, jobId } = await newRun();
    const err = await trainHandler({ runId }, ctxFor(jobId, 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentJobError);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("config.group_size");
    const logs = await db.prisma.runLog.findMany({ where: { runId }, orderBy: { line: "asc" } });
    expect(logs[0]!.message).toContain("(field group_size)");
  }, 120_000);

  it("cancellation kills the trainer's whole process group and marks the run cancelled", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ hangAtStep: 2 });
    const { runId, jobId } = await newRun();
    const stop = new AbortController();
    const running = trainHandler({ runId }, ctxFor(jobId, 0, stop.signal)).catch((e: unknown) => e);
    const runDir = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).runDir;
    await until(() => existsSync(path.join(runDir, "fake-pids.txt")) && readFileSync(path.join(runDir, "fake-pids.txt"), "utf8").includes("helper"));
    const [trainer, helper] = pidsOf(runDir);
    expect(alive(trainer!) && alive(helper!)).toBe(true);
    await db.prisma.job.update({ where: { id: jobId }, data: { cancelRequestedAt: new Date() } });
    stop.abort(new JobCancelledError(jobId));
    expect(await running).toBeInstanceOf(JobCancelledError);
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("cancelled");
    await until(() => !alive(trainer!) && !alive(helper!), 15_000);
  }, 120_000);

  it("a worker killed mid-run: the next attempt stops the orphaned trainer, and nothing is lost or doubled", async () => {
    process.env.FAKE_TRAINER_PLAN = JSON.stringify({ stepDelayMs: 150, ignoreBrokenPipe: true });
    const { runId, jobId } = await newRun({ maxSteps: 12, checkpointEvery: 3 });
    const worker = spawn(process.execPath, ["--import", "tsx", path.join(repo, "workers/testing/run-train-job.ts"), db.url, String(runId), jobId, "0"], { cwd: repo, stdio: "ignore" });
    await until(async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).lastStep >= 4, 60_000);
    worker.kill("SIGKILL");
    await new Promise((r) => worker.once("exit", r));
    const runDir = (await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).runDir;
    const [orphan] = pidsOf(runDir);
    expect(alive(orphan!)).toBe(true); // in its own process group, it outlived the worker
    // Unread, it trains on and writes a checkpoint of a step whose metrics never reached events.jsonl.
    const seen = Math.max(...fileLines(runDir).filter((l) => l.includes('"type":"metric"')).map((l) => JSON.parse(l).step as number));
    const unreported = path.join(runDir, "checkpoints", `step-${String((Math.floor(seen / 3) + 1) * 3).padStart(8, "0")}`, "state.json");
    await until(() => existsSync(unreported), 20_000);

    process.env.FAKE_TRAINER_PLAN = JSON.stringify({});
    await trainHandler({ runId }, ctxFor(jobId, 1));
    expect(alive(orphan!)).toBe(false);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect([run.status, run.lastStep]).toEqual(["completed", 12]);
    expect(await counts(runId)).toMatchObject({ metrics: 12 * 3, checkpoints: 4, rollouts: 12 });
    // The checkpoint written past the last reported step was set aside and its steps trained again.
    expect(readdirSync(path.join(runDir, "unrecorded-checkpoints")).some((n) => n.startsWith(path.basename(path.dirname(unreported))))).toBe(true);
    const steps = await db.prisma.metricPoint.groupBy({ by: ["step"], where: { runId }, _count: true, orderBy: { step: "asc" } });
    expect(steps.map((s) => [s.step, s._count])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 3]));
  }, 90_000);
});
