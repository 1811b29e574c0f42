import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSceneGraph } from "../../scene-graph/parse-graph";
import { decodeLogits, encodeImages, generate, loadOnnxModel, type OnnxModel } from "./onnx-model";
import { imageToPixels } from "./preprocess";

// Written by fixtures/make-tiny-onnx.py with the trainer's own code (torch 1.13, CPU).
const DIR = path.resolve(__dirname, "../fixtures/tiny-onnx");

interface Parity {
  input_ids: number[][];
  memory: { shape: number[]; sum: number; first: number[] };
  logits: { shape: number[]; values: number[] };
  tolerance: number;
}
interface Expected {
  prompt: { system: "plain" | "think"; variant: "closed" | "open"; ids: number[] };
  max_new_tokens: number;
  parity_image: { greedy_ids: number[]; text: string };
  sample_png: { file: string; pixels: { shape: number[]; values: number[] }; greedy_ids: number[]; text: string };
}

/** The trainer's parity picture: pixel[c, y, x] = ((7c + 3y + 5x) mod 256) / 255. */
function parityPixels(s: number): Float32Array {
  const out = new Float32Array(3 * s * s);
  for (let c = 0; c < 3; c++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) out[(c * s + y) * s + x] = ((7 * c + 3 * y + 5 * x) % 256) / 255;
  return out;
}

/** The trainer's ids with the PAD tail (other rows still running) removed. */
const trimmed = (ids: number[]) => (ids.includes(2) ? ids.slice(0, ids.indexOf(2) + 1) : ids);

let model: OnnxModel;
let parity: Parity;
let expected: Expected;
beforeAll(async () => {
  model = await loadOnnxModel(DIR);
  parity = JSON.parse(await readFile(path.join(DIR, "parity.json"), "utf8")) as Parity;
  expected = JSON.parse(await readFile(path.join(DIR, "expected.json"), "utf8")) as Expected;
});
afterAll(async () => {
  await model?.release();
});

describe("onnxruntime-node against the trainer's torch outputs", () => {
  it("reproduces the encoder memory and the decoder logits of parity.json within 1e-4", async () => {
    const s = model.config.image_size;
    const memory = await encodeImages(model, parityPixels(s), 1);
    expect(memory.dims).toEqual(parity.memory.shape);
    const mem = memory.data as Float32Array;
    const firstDiff = Math.max(...parity.memory.first.map((v, i) => Math.abs(v - mem[i]!)));
    expect(firstDiff).toBeLessThan(1e-4);
    expect(Math.abs(mem.reduce((a, b) => a + b, 0) - parity.memory.sum)).toBeLessThan(1e-3);

    const logits = await decodeLogits(model, parity.input_ids, memory);
    expect(logits.dims).toEqual(parity.logits.shape);
    const got = logits.data as Float32Array;
    let maxDiff = 0;
    parity.logits.values.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[i]!))));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("greedy decoding gives the trainer's token ids for the parity image", async () => {
    const ids = await generate(model, parityPixels(model.config.image_size), 1, { ...expected.prompt, maxNewTokens: expected.max_new_tokens });
    expect(ids[0]).toEqual(trimmed(expected.parity_image.greedy_ids));
    expect(model.tokenizer.decode(ids[0]!)).toBe(expected.parity_image.text);
  });

  it("preprocesses a PNG exactly as the trainer does (decode, /255, bilinear without antialias)", async () => {
    const bytes = await readFile(path.join(DIR, expected.sample_png.file));
    const pixels = await imageToPixels(bytes, model.config.image_size);
    expect(pixels.length).toBe(expected.sample_png.pixels.values.length);
    let maxDiff = 0;
    expected.sample_png.pixels.values.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - pixels[i]!))));
    expect(maxDiff).toBe(0);
  });

  it("decodes a batch: each row gets the trainer's greedy answer for its image, and the answer parses", async () => {
    const s = model.config.image_size;
    const png = await imageToPixels(await readFile(path.join(DIR, expected.sample_png.file)), s);
    const batch = new Float32Array(2 * 3 * s * s);
    batch.set(png, 0);
    batch.set(parityPixels(s), 3 * s * s);
    const ids = await generate(model, batch, 2, { ...expected.prompt, maxNewTokens: expected.max_new_tokens });
    expect(ids[0]).toEqual(trimmed(expected.sample_png.greedy_ids));
    expect(ids[1]).toEqual(trimmed(expected.parity_image.greedy_ids));
    const text = model.tokenizer.decode(ids[0]!);
    expect(text).toBe(expected.sample_png.text);
    expect(parseSceneGraph(text).ok).toBe(true);
  });
});
