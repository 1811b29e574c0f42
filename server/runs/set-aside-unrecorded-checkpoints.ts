/**
 * When a worker dies, the trainer can get one step further than the worker read: it prints step S's
 * metrics into the pipe, the worker dies before reading them, and the trainer still writes checkpoint S
 * before it notices. Resuming from S would skip step S's metrics for good. So before a local resume,
 * complete checkpoints newer than the last recorded step (and half-written `.tmp` folders) are moved to
 * <run>/unrecorded-checkpoints/; the trainer resumes from the newest recorded one and, being
 * deterministic in (seed, step), recomputes exactly the steps whose events were lost.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";

const COMPLETE = /^step-(\d{8})$/;

/** Moves checkpoint folders beyond `lastStep` (and `.tmp` leftovers) aside; returns their new paths. */
export function setAsideUnrecordedCheckpoints(runDir: string, lastStep: number, now: Date = new Date()): string[] {
  const root = path.join(runDir, "checkpoints");
  if (!existsSync(root)) return [];
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  const moved: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const m = COMPLETE.exec(name);
    const complete = m !== null && existsSync(path.join(root, name, "state.json"));
    const unrecorded = complete && Number(m![1]) > lastStep;
    const leftover = name.startsWith("step-") && name.endsWith(".tmp");
    if (!unrecorded && !leftover) continue;
    const dest = path.join(runDir, "unrecorded-checkpoints", `${name}-${stamp}`);
    mkdirSync(path.dirname(dest), { recursive: true });
    renameSync(path.join(root, name), dest);
    moved.push(dest);
  }
  return moved;
}
