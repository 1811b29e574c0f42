import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const top = mkdtempSync(path.join(tmpdir(), "sgg-create-run-"));
process.env.SGG_DATA_DIR = path.join(top, "data");
process.env.SGG_RUNS_DIR = path.join(top, "runs");
process.env.SGG_MODELS_DIR = path.join(top, "models");

const { createTestDatabase } = await import("../db/test-database");
const { getQueue, stopQueues } = await import("../jobs/queue");
const { createTrainingRun, runSlug, TrainingRunError } = await import("./create-training-run");
const { resumeRun } = await import("./resume-run");
const { cancelRun } = await import("./cancel-run");
const { ingestSyntheticSplit } = await import("./run-test-fixtures");
const { trainingRunFormSchema } = await import("./training-config");
type FormInput = import("./training-config").TrainingRunFormInput;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let splitId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  splitId = await ingestSyntheticSplit({ databaseUrl: db.url, dataDir: process.env.SGG_DATA_DIR!, dataset: "shapes", split: "train", images: 2 });
}, 120_000);
afterAll(async () => {
  await stopQueues();
  await db?.drop();
  rmSync(top, { recursive: true, force: true });
});

const base = (f: Partial<FormInput> = {}): FormInput => ({ name: "First run", kind: "sft", model: { family: "tiny" }, splitId, ...f });
const create = async (f: FormInput) => createTrainingRun(db.prisma, f, { createdById: null, boss: await getQueue(db.url) });
async function refused(f: FormInput): Promise<InstanceType<typeof TrainingRunError>> {
  const before = await db.prisma.run.count();
  const err = await create(f).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TrainingRunError);
  expect(await db.prisma.run.count()).toBe(before);
  return err as InstanceType<typeof TrainingRunError>;
}

describe("createTrainingRun", () => {
  it("creates the queued run with the validated form and its train job in one go", async () => {
    const { runId, jobId } = await create(base());
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ name: "First run", kind: "sft", status: "queued", splitId, launcher: "local", jobId });
    expect(run.config).toEqual(JSON.parse(JSON.stringify(trainingRunFormSchema.parse(base()))));
    expect(run.runDir).toBe(path.join(process.env.SGG_RUNS_DIR!, `${runId}-first-run`));
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ name: "train", status: "queued", payload: { runId } });
    expect((await (await getQueue(db.url)).getJobById("train", jobId))?.data).toEqual({ runId });
  });

  it("picks torchrun for several GPUs and slurm for a Slurm launcher", async () => {
    const a = await create(base({ model: { family: "hf", id: "Qwen/Qwen2-VL-2B-Instruct" }, gpus: 4 }));
    const b = await create(base({ gpus: 1, launcher: { type: "slurm", partition: "gpu", timeMinutes: 60 } }));
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: a.runId } })).launcher).toBe("torchrun");
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: b.runId } })).launcher).toBe("slurm");
  });

  it("keeps hostile names out of the folder name", async () => {
    expect(runSlug("../../etc/passwd $(rm -rf ~) `x`")).toBe("etc-passwd-rm-rf-x");
    expect(runSlug("…")).toBe("run");
    const { runId } = await create(base({ name: "../../../tmp/x\n$(touch y)" }));
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(path.dirname(run.runDir)).toBe(process.env.SGG_RUNS_DIR);
    expect(path.basename(run.runDir)).toBe(`${runId}-tmp-x-touch-y`);
  });

  it("names the form field of every refusal and creates nothing", async () => {
    expect((await refused(base({ groupSize: 1 }))).field).toBe("groupSize");
    expect((await refused(base({ launcher: { type: "slurm", partition: "a;b", timeMinutes: 5 }, gpus: 1 }))).field).toBe("launcher.partition");
    expect((await refused(base({ evalEvery: 5 }))).field).toBe("evalSplitId");
    expect((await refused({ ...base(), extra: 1 } as FormInput)).message).toContain("extra");
    const missing = await refused(base({ splitId: 999_999 }));
    expect([missing.field, missing.reason]).toEqual(["splitId", "not-found"]);
    expect((await refused(base({ evalSplitId: 999_999 }))).field).toBe("evalSplitId");
    expect((await refused(base({ initCheckpointId: 999_999 }))).field).toBe("initCheckpointId");
  });

  it("checks the start checkpoint's model family and that its folder is inside the workbench's folders", async () => {
    const tiny = await db.prisma.model.create({ data: { name: "tiny-sgg", family: "tiny-sgg" } });
    const qwen = await db.prisma.model.create({ data: { name: "Qwen/Qwen2-VL-2B-Instruct", family: "qwen2-vl" } });
    const inside = path.join(process.env.SGG_RUNS_DIR!, "1-x", "checkpoints", "step-00000003");
    mkdirSync(inside, { recursive: true });
    const good = await db.prisma.checkpoint.create({ data: { modelId: tiny.id, path: inside, format: "torch", step: 3 } });
    const onnx = await db.prisma.checkpoint.create({ data: { modelId: tiny.id, path: inside, format: "onnx", step: 3 } });
    const hf = await db.prisma.checkpoint.create({ data: { modelId: qwen.id, path: inside, format: "hf" } });
    const outside = await db.prisma.checkpoint.create({ data: { modelId: tiny.id, path: "/etc", format: "torch", step: 4 } });
    const { runId } = await create(base({ kind: "grpo", initCheckpointId: good.id }));
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).initCheckpointId).toBe(good.id);
    for (const id of [onnx.id, hf.id]) expect((await refused(base({ initCheckpointId: id }))).message).toContain("tiny-sgg torch checkpoints");
    expect((await refused(base({ model: { family: "hf", id: "Qwen/Qwen2-VL-2B-Instruct" }, initCheckpointId: good.id }))).field).toBe("initCheckpointId");
    const out = await refused(base({ initCheckpointId: outside.id }));
    expect([out.field, out.message.includes("outside the allowed folders")]).toEqual(["initCheckpointId", true]);
  });
});

describe("resumeRun", () => {
  it("gives a failed or cancelled run a new train job; refuses runs in other states", async () => {
    const boss = await getQueue(db.url);
    const { runId, jobId } = await create(base({ name: "to resume" }));
    const busy = await resumeRun(db.prisma, runId, { createdById: null, boss }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(TrainingRunError);
    expect((busy as InstanceType<typeof TrainingRunError>).reason).toBe("conflict");
    await db.prisma.run.update({ where: { id: runId }, data: { status: "failed", error: "boom", finishedAt: new Date() } });
    const again = await resumeRun(db.prisma, runId, { createdById: null, boss });
    expect(again.jobId).not.toBe(jobId);
    expect(await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "queued", error: null, finishedAt: null, jobId: again.jobId });
    expect(await db.prisma.job.count({ where: { name: "train", payload: { equals: { runId } } } })).toBe(2);
    await expect(resumeRun(db.prisma, 999_999, { createdById: null, boss })).rejects.toThrow("no run with id 999999");
  });
});

describe("cancelRun", () => {
  it("cancels a waiting run at once, asks a running one to stop, leaves finished ones alone", async () => {
    const boss = await getQueue(db.url);
    const waiting = await create(base({ name: "waiting" }));
    expect(await cancelRun(db.prisma, waiting.runId, { boss })).toEqual({ status: "cancelled", requested: true });
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: waiting.runId } })).status).toBe("cancelled");
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: waiting.jobId } })).status).toBe("cancelled");

    const running = await create(base({ name: "running" }));
    await db.prisma.job.update({ where: { id: running.jobId }, data: { status: "running" } });
    await db.prisma.run.update({ where: { id: running.runId }, data: { status: "running" } });
    expect(await cancelRun(db.prisma, running.runId, { boss })).toEqual({ status: "running", requested: true });
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: running.jobId } })).cancelRequestedAt).not.toBeNull();

    expect(await cancelRun(db.prisma, waiting.runId, { boss })).toEqual({ status: "cancelled", requested: false });
    await expect(cancelRun(db.prisma, 999_999, { boss })).rejects.toThrow("no run with id 999999");
  });
});
