/**
 * The tiny model's image preprocessing, as the trainer does it (TinyAdapter.pixels): decode to RGB
 * (alpha dropped, no EXIF rotation, like Pillow's convert("RGB")), scale to 0..1 by /255 in float32, then
 * a bilinear resize to S×S with align_corners=False and no antialiasing: PyTorch's float32 source
 * indices and weights, the four-pixel blend exact and rounded once to float32 (what the trainer's
 * channels-last input gets from torch 1.13's CPU kernel; equal bit for bit in onnx-model.test.ts).
 * sharp only decodes; its own resize antialiases when shrinking and would not match the trainer.
 */
import sharp from "sharp";

const f = Math.fround;

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** H×W×3, RGB, row-major. */
  readonly data: Uint8Array;
}

/** Decodes PNG/JPEG/WebP bytes to 8-bit RGB. */
export async function decodeRgb(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes).toColourspace("srgb").removeAlpha().raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  // A single-channel decode: repeat the grey value, as the trainer stacks a 2-D array three times.
  const out = new Uint8Array(info.width * info.height * 3);
  for (let i = 0; i < info.width * info.height; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = data[i * info.channels]!;
  return { width: info.width, height: info.height, data: out };
}

interface Axis {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w0: Float32Array;
  readonly w1: Float32Array;
}

// PyTorch's area_pixel_compute_source_index and HelperInterpLinear index/weight computation.
function axis(inSize: number, outSize: number): Axis {
  const scale = f(inSize / outSize);
  const a: Axis = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) };
  for (let o = 0; o < outSize; o++) {
    let src = f(scale * (o + 0.5) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.trunc(src);
    const lambda1 = Math.min(Math.max(f(src - i0), 0), 1);
    a.i0[o] = i0;
    a.i1[o] = i0 + (i0 < inSize - 1 ? 1 : 0);
    a.w1[o] = lambda1;
    a.w0[o] = f(1 - lambda1);
  }
  return a;
}

/**
 * `pixel_values` of one image: float32 [3, size, size] in 0..1, channel-major, the trainer's resize.
 */
export function rgbToPixels(img: RgbImage, size: number): Float32Array {
  const { width: W, height: H, data } = img;
  const ys = axis(H, size);
  const xs = axis(W, size);
  const out = new Float32Array(3 * size * size);
  const px = (c: number, y: number, x: number) => f(data[(y * W + x) * 3 + c]! / 255);
  for (let c = 0; c < 3; c++) {
    for (let oy = 0; oy < size; oy++) {
      const y0 = ys.i0[oy]!;
      const y1 = ys.i1[oy]!;
      const wy0 = ys.w0[oy]!;
      const wy1 = ys.w1[oy]!;
      for (let ox = 0; ox < size; ox++) {
        const x0 = xs.i0[ox]!;
        const x1 = xs.i1[ox]!;
        const wx0 = xs.w0[ox]!;
        const wx1 = xs.w1[ox]!;
        // Blended in double and rounded once: bit-identical to the trainer's (channels-last) kernel.
        const top = wx0 * px(c, y0, x0) + wx1 * px(c, y0, x1);
        const bottom = wx0 * px(c, y1, x0) + wx1 * px(c, y1, x1);
        out[(c * size + oy) * size + ox] = f(wy0 * top + wy1 * bottom);
      }
    }
  }
  return out;
}

/** Decode and preprocess in one step. */
export async function imageToPixels(bytes: Uint8Array, size: number): Promise<Float32Array> {
  return rgbToPixels(await decodeRgb(bytes), size);
}
