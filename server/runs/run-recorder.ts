/**
 * Records the lines of one run's events.jsonl in order while the trainer keeps writing: lines are queued
 * synchronously (in stdout order) and stored one after another, and what the train job needs to decide
 * the outcome is kept on the side (last step, total steps, the done line, a config error).
 */
import type { PrismaClient } from "../db/generated/client";
import { recordTrainerLine, type EventTarget, type RecordedLine } from "./record-trainer-event";
import type { EventLine } from "./run-event-log";

export interface RunRecorderOptions {
  /** Replaying an earlier attempt's lines: done lines leave the Run's status alone. */
  readonly replay?: boolean;
  /** Progress in optimizer steps; total null while unknown. */
  readonly onProgress?: (step: number, total: number | null) => void | Promise<void>;
}

export class RunRecorder {
  lastStep = 0;
  totalSteps: number | null = null;
  /** The trainer's done line of the current attempt, if any. */
  done: { status: "completed" | "failed"; step: number; error: string | null } | null = null;
  /** Field named by a trainer error log (a config problem), if any. */
  configErrorField: string | null = null;
  malformed = 0;
  recorded = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private readonly imageIds = new Map<string, number | null>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly target: EventTarget,
    private replay: boolean,
    private readonly onProgress?: RunRecorderOptions["onProgress"],
  ) {}

  /** Switches from replaying an old log to recording the live trainer. */
  goLive(): void {
    this.replay = false;
    this.done = null;
    this.configErrorField = null;
  }

  /** Stores one line now (awaited). */
  async record(l: EventLine): Promise<RecordedLine> {
    const r = await recordTrainerLine(this.prisma, this.target, l.text, l.line, { replay: this.replay, imageIds: this.imageIds });
    this.recorded++;
    await this.observe(r);
    return r;
  }

  /** Queues a line; lines are stored in the order they were queued. A storage error is kept for `drain()`. */
  enqueue(l: EventLine): void {
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.record(l);
      } catch (e) {
        this.failure = e;
      }
    });
  }

  /** Waits for every queued line; rethrows the first storage error (the lines stay in events.jsonl for the next attempt). */
  async drain(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  private async observe(r: RecordedLine): Promise<void> {
    if (r.type === "malformed") this.malformed++;
    if (r.type === "log") {
      if (r.totalSteps !== null) this.totalSteps = r.totalSteps;
      if (r.level === "error" && r.field) this.configErrorField = r.field;
    }
    if (r.type === "done") this.done = { status: r.status, step: r.step, error: r.error };
    if (r.type === "metric" && r.step > this.lastStep) {
      this.lastStep = r.step;
      await this.onProgress?.(r.step, this.totalSteps);
    }
  }
}
