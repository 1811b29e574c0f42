/**
 * Runs the Python trainer (or its predict module) as the workers do — argument arrays, JSON-line events
 * on stdout — and shows a progress bar from its metric events.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import cliProgress from "cli-progress";

export const TRAINER_DIR = path.resolve(import.meta.dirname, "../../workers/trainer");

export interface TrainerEvent {
  readonly type: string;
  readonly step?: number;
  readonly values?: Record<string, number | null>;
  readonly path?: string;
  readonly status?: string;
  readonly [key: string]: unknown;
}

export interface TrainerOutcome {
  readonly events: readonly TrainerEvent[];
  readonly seconds: number;
}

/** Spawns `python -m <module> ...args` in the trainer folder; rejects with the stderr tail on a non-zero exit. */
export async function runTrainerModule(python: string, module: string, args: readonly string[], options: { label: string; totalSteps?: number; threads?: number }): Promise<TrainerOutcome> {
  const started = performance.now();
  const child = spawn(python, ["-m", module, ...args], {
    cwd: TRAINER_DIR,
    env: { ...process.env, OMP_NUM_THREADS: String(options.threads ?? 2), OPENBLAS_NUM_THREADS: "1", PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const bar = options.totalSteps
    ? new cliProgress.SingleBar({ format: `  ${options.label.padEnd(5)} {bar} {value}/{total} steps  {note}  ETA {eta_formatted}`, hideCursor: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(options.totalSteps!, 0, { note: "" });
  const events: TrainerEvent[] = [];
  let stderrTail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    let event: TrainerEvent;
    try {
      event = JSON.parse(line) as TrainerEvent;
    } catch {
      return;
    }
    events.push(event);
    if (bar && event.type === "metric" && typeof event.step === "number") {
      const v = event.values ?? {};
      const note = v.loss !== undefined && v.loss !== null ? `loss ${v.loss.toFixed(3)}` : v["reward/total_mean"] != null ? `reward ${v["reward/total_mean"]!.toFixed(3)}  fail ${((v.failure_rate ?? 0) * 100).toFixed(0)}%` : "";
      bar.update(event.step, { note });
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  bar?.stop();
  if (code !== 0) throw new Error(`${options.label}: python -m ${module} exited with ${code}\n${stderrTail}`);
  return { events, seconds: (performance.now() - started) / 1000 };
}
