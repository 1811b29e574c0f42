/**
 * Runs the Python trainer (or its predict module) as the workers do — the same argument arrays
 * (server/runs/trainer-command.ts, torchrun for several processes), JSON-line events on stdout — and
 * shows a progress bar from its metric events.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import cliProgress from "cli-progress";
import { TRAINER_DIR, trainerEnv } from "../../server/runs/trainer-command";

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

export interface RunOptions {
  readonly label: string;
  readonly totalSteps?: number;
  /** Torch threads per process (OMP_NUM_THREADS). */
  readonly threads?: number;
}

function progressNote(v: Record<string, number | null>): string {
  if (v.loss !== undefined && v.loss !== null && v["reward/total_mean"] == null) return `loss ${v.loss.toFixed(3)}`;
  const reward = v["reward/total_mean"];
  return reward != null ? `reward ${reward.toFixed(3)}  fail ${((v.failure_rate ?? 0) * 100).toFixed(0)}%` : "";
}

/** Spawns `argv` (CPU only) in the trainer folder; rejects with the stderr tail on a non-zero exit. */
export async function runTrainer(argv: readonly string[], options: RunOptions): Promise<TrainerOutcome> {
  const started = performance.now();
  const env = { ...trainerEnv(process.env, 0), OMP_NUM_THREADS: String(options.threads ?? 1), OPENBLAS_NUM_THREADS: "1" };
  const child = spawn(argv[0]!, argv.slice(1), { cwd: TRAINER_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderrTail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const bar = options.totalSteps
    ? new cliProgress.SingleBar({ format: `  ${options.label.padEnd(5)} {bar} {value}/{total} steps  {note}  ETA {eta_formatted}`, hideCursor: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(options.totalSteps!, 0, { note: "" });
  const events: TrainerEvent[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    let event: TrainerEvent;
    try {
      event = JSON.parse(line) as TrainerEvent;
    } catch {
      return;
    }
    events.push(event);
    if (bar && event.type === "metric" && typeof event.step === "number") bar.update(event.step, { note: progressNote(event.values ?? {}) });
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  bar?.stop();
  if (code !== 0) throw new Error(`${options.label}: ${argv.slice(0, 4).join(" ")} … exited with ${code}\n${stderrTail}`);
  return { events, seconds: (performance.now() - started) / 1000 };
}
