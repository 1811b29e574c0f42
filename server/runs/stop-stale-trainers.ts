/**
 * A worker that dies (killed, out of memory, machine restart of the worker only) leaves its trainer
 * running in its own process group, still writing checkpoints into the run folder. Before a new attempt
 * starts a trainer for the same run folder, the old one is stopped, so two trainers never share a folder.
 * Found by its command line (`--run-dir <folder>`) in /proc on this machine; Linux only.
 */
import { readdirSync, readFileSync } from "node:fs";

function readArgv(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`);
    if (raw.length === 0) return null;
    return raw.toString("utf8").split("\0").filter((s, i, a) => i < a.length - 1 || s !== "");
  } catch {
    return null;
  }
}

function processGroup(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) && pgrp > 0 ? pgrp : null;
  } catch {
    return null;
  }
}

/** Processes on this machine whose command line has `--run-dir <runDir>` (exact argument match). */
export function findTrainerProcesses(runDir: string): { pid: number; pgid: number | null }[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: { pid: number; pgid: number | null }[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const argv = readArgv(pid);
    if (!argv) continue;
    const i = argv.indexOf("--run-dir");
    if (i >= 0 && argv[i + 1] === runDir) out.push({ pid, pgid: processGroup(pid) });
  }
  return out;
}

// A zombie (exited, not yet reaped by its new parent) counts as gone.
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

/**
 * Stops every trainer process of `runDir` left behind by an earlier attempt: SIGTERM to its process
 * group (never this process's own group), SIGKILL after `graceMs`. Returns the pids found.
 */
export async function stopStaleTrainers(runDir: string, graceMs = 5000): Promise<number[]> {
  const found = findTrainerProcesses(runDir);
  if (found.length === 0) return [];
  const ownGroup = processGroup(process.pid);
  const signal = (sig: NodeJS.Signals) => {
    for (const p of found) {
      try {
        if (p.pgid !== null && p.pgid !== ownGroup) process.kill(-p.pgid, sig);
        else process.kill(p.pid, sig);
      } catch {
        // Already gone.
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && found.some((p) => alive(p.pid))) await new Promise((r) => setTimeout(r, 100));
  if (found.some((p) => alive(p.pid))) {
    signal("SIGKILL");
    for (let i = 0; i < 50 && found.some((p) => alive(p.pid)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  return found.map((p) => p.pid);
}
