import { access, realpath } from "node:fs/promises";
import path from "node:path";
import { env } from "../env";
import { InferenceSettingsError } from "./settings-error";

/** The files an ONNX model folder must hold (the trainer's export, workers/trainer/README.md). */
export const ONNX_MODEL_FILES = ["encoder.onnx", "decoder.onnx", "tokenizer.json", "model_config.json"] as const;

/** Folders a model may be read from: the models folder and the training runs folder. */
export function modelRoots(): string[] {
  const c = env();
  return [c.models.modelsDir, c.workers.runsDir];
}

async function real(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch {
    return undefined;
  }
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Resolves an ONNX model folder named in settings: relative names are taken inside the models folder;
 * the real path (symbolic links followed) must lie inside one of `roots`, so a form cannot point the
 * worker at arbitrary files. Throws `InferenceSettingsError` on `settings.backend.modelDir` naming what
 * is wrong. Returns the absolute real path.
 */
export async function resolveModelDir(dir: string, roots: readonly string[] = modelRoots()): Promise<string> {
  const field = "settings.backend.modelDir";
  const candidate = path.isAbsolute(dir) ? dir : path.resolve(/*turbopackIgnore: true*/ roots[0]!, dir);
  const resolved = await real(candidate);
  if (!resolved) throw new InferenceSettingsError(field, `model folder ${candidate} does not exist`);
  const realRoots = (await Promise.all(roots.map(real))).filter((r): r is string => r !== undefined);
  if (!realRoots.some((r) => inside(r, resolved))) {
    throw new InferenceSettingsError(field, `model folder ${candidate} is outside the models folder (${roots[0]}) and the runs folder (${roots[1] ?? "-"})`);
  }
  const missing: string[] = [];
  for (const f of ONNX_MODEL_FILES) {
    try {
      // A folder named at run time: keep the bundler from tracing the whole project for it.
      await access(path.join(/*turbopackIgnore: true*/ resolved, f));
    } catch {
      missing.push(f);
    }
  }
  if (missing.length) throw new InferenceSettingsError(field, `model folder ${candidate} lacks ${missing.join(", ")} (export the tiny model with "export_onnx": true)`);
  return resolved;
}
