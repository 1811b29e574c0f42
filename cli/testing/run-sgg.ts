import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SGG = path.resolve(import.meta.dirname, "../../bin/sgg");

export interface SggResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `./bin/sgg …args` as a user would (a child process), with `env` added to this process's environment; a non-zero exit is a result, not a throw. */
export async function runSgg(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<SggResult> {
  try {
    const { stdout, stderr } = await run(SGG, [...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
