/**
 * Runs a training run's sbatch script on Slurm and follows it: submit (`sbatch --parsable`), poll the
 * job (`squeue -h -j <id> -o %T`) while tailing the events file the job appends to, read the final
 * state (`sacct -n -X -j <id> -o State`) when it has left the queue, and `scancel` it on abort. Every
 * command is an argument array run without a shell. A job that is still queued or running (the worker
 * stopped or died and a new attempt picks the run up) is followed again instead of being submitted twice.
 */
import { execFile } from "node:child_process";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { EventFileTail, type EventLine } from "./run-event-log";
import { sbatchArgs } from "./sbatch-script";

export interface SlurmCommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Slurm command (found on PATH) with an argument array; never throws for a non-zero exit. */
export function slurmCommand(command: string, args: readonly string[], timeoutMs = 60_000): Promise<SlurmCommandResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === "number" ? Number((error as NodeJS.ErrnoException).code) : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && !stdout ? error.message : "")) });
    });
  });
}

export interface FollowSlurmOptions {
  readonly script: string;
  readonly runDir: string;
  readonly eventsFile: string;
  readonly stderrFile: string;
  /** Lines of events.jsonl already recorded (replayed) and the byte offset after them. */
  readonly startLine: number;
  readonly startOffset: number;
  /** The Slurm job of an earlier attempt; followed again when it is still queued or running. */
  readonly existingJobId?: string | null;
  readonly signal: AbortSignal;
  /**
   * Asked when `signal` aborts: true (a user cancelled the run) scancels the job; false (the worker is
   * stopping) leaves it running for the next attempt to follow again.
   */
  cancelOnAbort(): Promise<boolean>;
  /** Called once the job id is known (stored on the Run). */
  onJobId(jobId: string): Promise<void>;
  /** Each new complete line of events.jsonl, in order; awaited before the next. */
  onLine(line: EventLine): Promise<void>;
  readonly pollMs?: number;
}

export interface SlurmOutcome {
  readonly jobId: string;
  /** Final Slurm state (COMPLETED, FAILED, CANCELLED, TIMEOUT, …). */
  readonly state: string;
  /** 0 for COMPLETED, 1 otherwise (sacct -o State does not carry the trainer's exit code). */
  readonly code: number;
  readonly cancelled: boolean;
  /** The worker stopped following a job that goes on running. */
  readonly detached: boolean;
  readonly stderrTail: string;
}

const ACTIVE = /^(PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|RESIZING|SIGNALING|STAGE_OUT|STOPPED|RESV_DEL_HOLD|REQUEUE_HOLD|REQUEUE_FED)$/;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

async function queueState(jobId: string): Promise<string | null> {
  const r = await slurmCommand("squeue", ["-h", "-j", jobId, "-o", "%T"]);
  const state = r.stdout.trim().split(/\s+/)[0] ?? "";
  return r.code === 0 && ACTIVE.test(state) ? state : null;
}

async function finalState(jobId: string, pollMs: number, tries = 10): Promise<string> {
  // sacct can lag behind squeue for a moment after the job ends.
  for (let i = 0; i < tries; i++) {
    const r = await slurmCommand("sacct", ["-n", "-X", "-j", jobId, "-o", "State"]);
    const state = r.stdout.trim().split(/\s+/)[0] ?? "";
    if (r.code === 0 && state && !ACTIVE.test(state)) return state;
    await sleep(Math.min(pollMs, 1000));
  }
  return "UNKNOWN";
}

/** Last `bytes` of a file, "" when missing. */
export function fileTail(file: string, bytes = 4000): string {
  if (!existsSync(file)) return "";
  const size = statSync(file).size;
  const buf = Buffer.alloc(Math.min(bytes, size));
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, buf.length, size - buf.length);
  } finally {
    closeSync(fd);
  }
  return buf.toString("utf8");
}

/** Submits (or re-attaches to) the run's Slurm job and follows it to its end; see the module comment. */
export async function followSlurmJob(o: FollowSlurmOptions): Promise<SlurmOutcome> {
  const pollMs = o.pollMs ?? 5000;
  const tail = new EventFileTail(o.eventsFile, { offset: o.startOffset, line: o.startLine });
  let jobId: string | null = null;
  if (o.existingJobId && /^\d+$/.test(o.existingJobId)) {
    if (await queueState(o.existingJobId)) jobId = o.existingJobId;
    else if ((await finalState(o.existingJobId, pollMs, 1)) === "COMPLETED") {
      // It finished while no worker followed it: its events are all in the file.
      await o.onJobId(o.existingJobId);
      for (const l of tail.flush()) await o.onLine(l);
      return { jobId: o.existingJobId, state: "COMPLETED", code: 0, cancelled: false, detached: false, stderrTail: fileTail(o.stderrFile) };
    }
  }
  if (!jobId) {
    const r = await slurmCommand("sbatch", sbatchArgs(o.script, o.runDir));
    const id = r.stdout.trim().split(";")[0] ?? "";
    if (r.code !== 0 || !/^\d+$/.test(id)) throw new Error(`sbatch failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 500)}`);
    jobId = id;
  }
  await o.onJobId(jobId);
  const drain = async (lines: EventLine[]) => {
    for (const l of lines) await o.onLine(l);
  };
  let cancelled = false;
  for (;;) {
    await drain(tail.poll());
    if (o.signal.aborted) {
      if (!(await o.cancelOnAbort())) return { jobId, state: "DETACHED", code: 1, cancelled: false, detached: true, stderrTail: "" };
      cancelled = true;
      await slurmCommand("scancel", [jobId]);
      for (let i = 0; i < 30 && (await queueState(jobId)); i++) await sleep(Math.min(pollMs, 1000));
      break;
    }
    if (!(await queueState(jobId))) break;
    await sleep(pollMs, o.signal);
  }
  await drain(tail.flush());
  const state = cancelled ? "CANCELLED" : await finalState(jobId, pollMs);
  return { jobId, state, code: state === "COMPLETED" ? 0 : 1, cancelled, detached: false, stderrTail: fileTail(o.stderrFile) };
}
