/**
 * Runs a program in a process group of its own, so that stopping it stops everything it started
 * (torchrun's workers, data loader processes): the command and its arguments go to the kernel as an
 * array, never through a shell. stdout is delivered a line at a time; stderr too, and its tail is kept
 * for the error message. On abort the whole group gets SIGTERM, then SIGKILL after `killGraceMs`.
 * When the leader exits on its own, members it left behind get the same treatment.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface SpawnProcessGroupOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Aborting kills the whole group. */
  readonly signal?: AbortSignal;
  readonly onStdoutLine?: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  /** Milliseconds between SIGTERM and SIGKILL (default 10000). */
  readonly killGraceMs?: number;
  /** Characters of stderr kept for `stderrTail` (default 8192). */
  readonly stderrTailChars?: number;
}

export interface ProcessGroupResult {
  /** Exit code of the leader; null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended the leader (e.g. "SIGTERM"), or null. */
  readonly signal: string | null;
  /** The last `stderrTailChars` characters of stderr. */
  readonly stderrTail: string;
  /** The leader's pid, which is also the group id. */
  readonly pid: number;
  /** True when `signal` was aborted and the group was killed for it. */
  readonly aborted: boolean;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Starts `command` with `args` detached in a new process group; resolves when the leader has exited
 * and its output is read. Rejects when the program cannot be started (naming it) or a line callback
 * throws (after the group is stopped).
 */
export function spawnProcessGroup(command: string, args: readonly string[], options: SpawnProcessGroupOptions = {}): Promise<ProcessGroupResult> {
  const grace = options.killGraceMs ?? 10_000;
  const tailChars = options.stderrTailChars ?? 8192;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ code: null, signal: null, stderrTail: "", pid: 0, aborted: true });
      return;
    }
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"], shell: false });
    let tail = "";
    let aborted = false;
    let callbackError: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    let reapTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;
    let openStreams = 2;

    const stop = () => {
      const pid = child.pid;
      if (pid === undefined || killTimer) return;
      signalGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => signalGroup(pid, "SIGKILL"), grace);
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    const guard = (fn: ((line: string) => void) | undefined) => (line: string) => {
      if (!fn || callbackError !== undefined) return;
      try {
        fn(line);
      } catch (error) {
        callbackError = error;
        stop();
      }
    };
    const finish = () => {
      if (!exit || openStreams > 0) return;
      options.signal?.removeEventListener("abort", onAbort);
      clearTimeout(reapTimer);
      // Leftover members once the leader is gone: stop them too, and keep the SIGKILL timer running.
      if (child.pid !== undefined && groupAlive(child.pid)) stop();
      else clearTimeout(killTimer);
      if (callbackError !== undefined) reject(callbackError);
      else resolve({ ...exit, stderrTail: tail, pid: child.pid ?? 0, aborted });
    };

    child.on("error", (error) => {
      options.signal?.removeEventListener("abort", onAbort);
      clearTimeout(killTimer);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    if (child.pid === undefined) return; // 'error' follows

    options.signal?.addEventListener("abort", onAbort, { once: true });
    const onStderr = guard(options.onStderrLine);
    for (const [stream, onLine] of [
      [child.stdout, guard(options.onStdoutLine)],
      [child.stderr, (line: string) => {
        tail = (tail + line + "\n").slice(-tailChars);
        onStderr(line);
      }],
    ] as const) {
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on("line", onLine);
      lines.on("close", () => {
        openStreams -= 1;
        finish();
      });
    }
    child.on("exit", (code, sig) => {
      exit = { code, signal: sig };
      // A member that inherited stdout keeps the pipes open after the leader exits: stop the group.
      if (openStreams > 0) reapTimer = setTimeout(stop, 2000);
      finish();
    });
  });
}
