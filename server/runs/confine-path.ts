/**
 * Every path that goes into a training run (run folder, shards, the init checkpoint, model folders)
 * passes through here: it must stay inside the folders the workbench owns, so a form value or a stored
 * row can never make the trainer read or write elsewhere.
 */
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { env } from "../env";

/** A path outside the allowed roots, or one that is malformed; `field` names the form or config field. */
export class PathConfinementError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "PathConfinementError";
  }
}

export interface ConfineOptions {
  /** Allowed folders; default: the runs folder, the data folder and the models folder of env(). */
  readonly roots?: readonly string[];
  /** Named in errors (e.g. "initCheckpointId"). */
  readonly field?: string;
  /** Base for relative paths; default: the first root. */
  readonly base?: string;
}

/** The allowed roots of this workbench: env().workers.runsDir, env().storage.dataDir, env().models.modelsDir. */
export function defaultRoots(): string[] {
  const e = env();
  return [e.workers.runsDir, e.storage.dataDir, e.models.modelsDir];
}

// realpath of the longest existing ancestor, with the missing rest appended: a path that does not
// exist yet (a new run folder) is judged by where its existing part really lives.
function realpathLoose(p: string): string {
  let head = p;
  const rest: string[] = [];
  while (!existsSync(head)) {
    const parent = path.dirname(head);
    if (parent === head) break;
    rest.unshift(path.basename(head));
    head = parent;
  }
  let real = head;
  try {
    real = realpathSync(head);
  } catch {
    // A dangling symlink or no permission: judge the lexical path.
  }
  return path.join(real, ...rest);
}

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Resolves `p` and returns its absolute real path when it lies inside one of the allowed roots, both as
 * written and after following symlinks. Refuses NUL bytes, control characters, `..` segments, absolute
 * paths elsewhere and symlinks that lead out of the roots, with a `PathConfinementError`.
 */
export function confinePath(p: string, options: ConfineOptions = {}): string {
  const field = options.field;
  const label = field ? `${field}: ` : "";
  if (typeof p !== "string" || p.trim() === "") throw new PathConfinementError(`${label}empty path`, field);
  if (p.includes("\0")) throw new PathConfinementError(`${label}path contains a NUL byte`, field);
  if (/[\u0001-\u001f\u007f]/.test(p)) throw new PathConfinementError(`${label}path contains a control character`, field);
  if (p.split(/[\\/]+/).includes("..")) throw new PathConfinementError(`${label}path may not contain ".." (${JSON.stringify(p)})`, field);
  const roots = (options.roots ?? defaultRoots()).map((r) => path.resolve(r));
  if (roots.length === 0) throw new PathConfinementError(`${label}no allowed folders configured`, field);
  const resolved = path.resolve(options.base ?? roots[0]!, p);
  if (!roots.some((r) => inside(resolved, r))) {
    throw new PathConfinementError(`${label}${JSON.stringify(p)} is outside the allowed folders (${roots.join(", ")})`, field);
  }
  const real = realpathLoose(resolved);
  if (!roots.some((r) => inside(real, realpathLoose(r)))) {
    throw new PathConfinementError(`${label}${JSON.stringify(p)} leads outside the allowed folders through a symlink (to ${real})`, field);
  }
  return real;
}
