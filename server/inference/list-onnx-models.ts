import { access, readdir } from "node:fs/promises";
import path from "node:path";
import { modelRoots } from "./model-dir";

async function hasEncoder(dir: string): Promise<boolean> {
  try {
    await access(path.join(/*turbopackIgnore: true*/ dir, "encoder.onnx"));
    return true;
  } catch {
    return false;
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/**
 * ONNX model folders a prediction run can use, for the form's suggestions: folders of the models folder
 * (by name, as settings take them) and the `onnx/` exports of training runs (absolute paths). At most
 * `limit` entries; nothing deeper is searched.
 */
export async function listOnnxModels(roots: readonly string[] = modelRoots(), limit = 200): Promise<string[]> {
  const [modelsDir, runsDir] = roots;
  const found: string[] = [];
  if (modelsDir) {
    for (const name of await subfolders(modelsDir)) {
      if (found.length >= limit) return found;
      if (await hasEncoder(path.join(modelsDir, name))) found.push(name);
    }
  }
  if (runsDir) {
    for (const run of await subfolders(runsDir)) {
      if (found.length >= limit) return found;
      const dir = path.join(runsDir, run, "onnx");
      if (await hasEncoder(dir)) found.push(dir);
    }
  }
  return found;
}
