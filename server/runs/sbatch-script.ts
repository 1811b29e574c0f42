/**
 * The sbatch script of a Slurm run, from one fixed template. Nothing from a form is pasted in raw:
 * directive values are checked against narrow patterns (names, integers), and every path and argument in
 * the shell part is single-quoted, so quotes, `$(…)`, backticks and newlines reach the trainer as the
 * literal characters they are. The trainer's stdout (its JSON-line events) is appended to events.jsonl
 * in the run folder, which the worker follows.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** POSIX shell quoting: the whole value in single quotes, each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("a shell argument cannot contain a NUL byte");
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const slurmName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, dot, dash and underscore only");
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");
const noNul = z.string().refine((s) => !s.includes("\0"), "NUL byte");

export const sbatchScriptOptionsSchema = z
  .object({
    runId: z.number().int().positive(),
    partition: slurmName,
    account: slurmName.optional(),
    /** Slurm time limit in minutes. */
    timeMinutes: z.number().int().min(1).max(60 * 24 * 30),
    gpus: z.number().int().min(1).max(64),
    nodes: z.literal(1).default(1),
    /** Folder the job starts in. */
    cwd: noNul.min(1),
    /** Files the trainer's stdout and stderr are appended to. */
    eventsFile: noNul.min(1),
    stderrFile: noNul.min(1),
    /** The trainer command, one element per argument. */
    argv: z.array(noNul).min(1),
    /** Variables exported before the trainer starts (PYTHONPATH, …). */
    env: z.record(envName, noNul).default({}),
  })
  .strict();

export type SbatchScriptOptions = z.input<typeof sbatchScriptOptionsSchema>;

/** The script text; throws a ZodError naming the option when a value does not fit the template. */
export function renderSbatchScript(options: SbatchScriptOptions): string {
  const o = sbatchScriptOptionsSchema.parse(options);
  const directives = [
    `#SBATCH --job-name=sgg-run-${o.runId}`,
    `#SBATCH --partition=${o.partition}`,
    ...(o.account ? [`#SBATCH --account=${o.account}`] : []),
    `#SBATCH --time=${o.timeMinutes}`,
    `#SBATCH --nodes=${o.nodes}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --gres=gpu:${o.gpus}`,
  ];
  const exports = Object.entries(o.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [
    "#!/bin/bash",
    ...directives,
    `# SGG Workbench run ${o.runId}. The trainer's stdout (JSON-line events) is appended to the run's events.jsonl.`,
    "set -uo pipefail",
    `cd -- ${shellQuote(o.cwd)} || exit 1`,
    ...exports,
    `exec ${o.argv.map(shellQuote).join(" ")} >> ${shellQuote(o.eventsFile)} 2>> ${shellQuote(o.stderrFile)}`,
    "",
  ].join("\n");
}

/** Writes the script (mode 0700, whole or not at all) and returns its path. */
export async function writeSbatchScript(file: string, options: SbatchScriptOptions): Promise<string> {
  const text = renderSbatchScript(options);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o700 });
  await rename(tmp, file);
  return file;
}

/** Slurm expands `%` patterns in --output paths; `%%` is a literal percent sign. */
export function slurmFilename(file: string): string {
  return file.replace(/%/g, "%%");
}

/** The argument array of the submission: `sbatch --parsable --output=<run>/slurm-%j.log <script>`. */
export function sbatchArgs(script: string, runDir: string): string[] {
  return ["--parsable", `--output=${slurmFilename(path.join(runDir, "slurm-"))}%j.log`, script];
}
