/**
 * The command lines that start the Python trainer and its checkpoint predictions, as argument arrays
 * (never a shell string). `SGG_TRAINER_COMMAND` (a JSON array, e.g. `["node","workers/testing/fake-trainer.mjs"]`)
 * replaces the interpreter and module for both: the trainer gets `--config … --run-dir … [--resume]`
 * appended, predictions get `predict --checkpoint …`. Tests use it to put a scripted trainer in place.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** workers/trainer: the folder that holds the sgg_trainer package (put on PYTHONPATH). */
export const TRAINER_DIR = fileURLToPath(new URL("../../workers/trainer", import.meta.url));

export const TRAINER_COMMAND_VARIABLE = "SGG_TRAINER_COMMAND";

const overrideSchema = z.array(z.string().min(1).refine((s) => !s.includes("\0"), "NUL byte")).min(1).max(64);

/** The validated override from the environment, or undefined when unset; a bad value throws naming the variable. */
export function trainerCommandOverride(source: Readonly<Record<string, string | undefined>> = process.env): string[] | undefined {
  const raw = source[TRAINER_COMMAND_VARIABLE]?.trim();
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`${TRAINER_COMMAND_VARIABLE}: expected a JSON array of strings such as ["python3","-m","sgg_trainer"]`);
  }
  const parsed = overrideSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${TRAINER_COMMAND_VARIABLE}: expected a non-empty JSON array of non-empty strings (${parsed.error.issues[0]!.message})`);
  return parsed.data;
}

export interface TrainerInvocation {
  readonly python: string;
  readonly configPath: string;
  readonly runDir: string;
  readonly resume: boolean;
  /** More than one: torchrun with one process per GPU. */
  readonly gpus: number;
  readonly override?: readonly string[];
}

/** argv of one training start: `python -m sgg_trainer …`, or through `torch.distributed.run` for several GPUs. */
export function trainerArgv(o: TrainerInvocation): string[] {
  const tail = ["--config", o.configPath, "--run-dir", o.runDir, ...(o.resume ? ["--resume"] : [])];
  if (o.override) return [...o.override, ...tail];
  if (o.gpus > 1) {
    // Worker stderr is teed into <run>/torchrun as well as passed on; stdout (rank 0's events) is left alone.
    // Explicit --redirects also avoids torch 1.13's crash on Python 3.11 when it parses the default "0".
    const logs = path.join(o.runDir, "torchrun");
    return [o.python, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", String(o.gpus), "--redirects", "2", "--tee", "2", "--log_dir", logs, "-m", "sgg_trainer", ...tail];
  }
  return [o.python, "-m", "sgg_trainer", ...tail];
}

export interface PredictInvocation {
  readonly python: string;
  readonly checkpoint: string;
  readonly configPath: string;
  readonly records: string;
  readonly out: string;
  /** 0: every record of the shard. */
  readonly maxImages: number;
  readonly override?: readonly string[];
}

/** argv of a checkpoint prediction: `python -m sgg_trainer.predict --checkpoint … --out …`. */
export function predictArgv(o: PredictInvocation): string[] {
  const tail = ["--checkpoint", o.checkpoint, "--config", o.configPath, "--records", o.records, "--out", o.out, ...(o.maxImages > 0 ? ["--max-images", String(o.maxImages)] : [])];
  return o.override ? [...o.override, "predict", ...tail] : [o.python, "-m", "sgg_trainer.predict", ...tail];
}

/** Environment of the trainer: sgg_trainer importable, unbuffered output, no GPU for a CPU run. */
export function trainerEnv(base: Readonly<Record<string, string | undefined>>, gpus: number): NodeJS.ProcessEnv {
  const out = { ...base } as NodeJS.ProcessEnv;
  out.PYTHONPATH = base.PYTHONPATH ? `${TRAINER_DIR}:${base.PYTHONPATH}` : TRAINER_DIR;
  out.PYTHONUNBUFFERED = "1";
  if (gpus === 0) out.CUDA_VISIBLE_DEVICES = "";
  return out;
}

/**
 * How trainer processes are started (workers/runtime/spawn-process-group.ts): argument arrays, an own
 * process group that is killed as a whole on abort, stdout and stderr by line.
 */
export type ProcessGroupRunner = (
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    onStdoutLine?: (line: string) => void;
    onStderrLine?: (line: string) => void;
    killGraceMs?: number;
  },
) => Promise<{ code: number | null; signal: NodeJS.Signals | string | null; stderrTail: string }>;
