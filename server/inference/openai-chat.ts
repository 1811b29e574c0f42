/**
 * One chat completion against an OpenAI-compatible server (vLLM, SGLang, a hosted API) with the image as
 * a data URL, a per-request timeout joined with the caller's abort signal, and retries with exponential
 * backoff (and jitter, and Retry-After on 429) for 429, 5xx, network errors and timeouts.
 *
 * Outcomes: an answer; a per-image failure (`timeout` after every retry, `rejected` for other 4xx,
 * `bad_response`); or a thrown error: `InferenceSettingsError` for 401/403/404 (a wrong key, URL or
 * model fails every image alike), `InferenceUnavailableError` when 429/5xx/network errors outlast the
 * retries, the caller's abort reason when it aborts.
 */
import { z } from "zod";
import { InferenceUnavailableError, type InferenceFailureKind } from "./backend";
import { InferenceSettingsError } from "./settings-error";

export interface ChatRequest {
  /** e.g. http://127.0.0.1:8000/v1; `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly system: string;
  readonly user: string;
  readonly image: { readonly bytes: Uint8Array; readonly mime: string };
  readonly sampling: { readonly temperature: number; readonly topP: number; readonly topK?: number; readonly maxTokens: number; readonly seed?: number };
  /** Per attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Extra attempts after the first. */
  readonly retries: number;
  /** First backoff delay in milliseconds. */
  readonly retryDelayMs: number;
}

export type ChatResult =
  | { readonly ok: true; readonly text: string; readonly promptTokens?: number; readonly completionTokens?: number; readonly finishReason?: string; readonly latencyMs: number; readonly attempts: number }
  | { readonly ok: false; readonly kind: InferenceFailureKind; readonly message: string; readonly latencyMs: number; readonly attempts: number };

const completionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullish() }), finish_reason: z.string().nullish() }))
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

/** Backoff before attempt `n` (1-based retry number), in milliseconds: doubling, jittered, capped at 30 s. */
export function backoffMs(base: number, n: number, random: () => number = Math.random): number {
  const d = Math.min(30_000, base * 2 ** (n - 1));
  return Math.round(d * (0.5 + random() * 0.5));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The JSON body of the request (exported for tests). */
export function chatBody(r: ChatRequest): Record<string, unknown> {
  const url = `data:${r.image.mime};base64,${Buffer.from(r.image.bytes).toString("base64")}`;
  return {
    model: r.model,
    messages: [
      { role: "system", content: r.system },
      // Image first, then the text (method.md b.1).
      { role: "user", content: [{ type: "image_url", image_url: { url } }, { type: "text", text: r.user }] },
    ],
    temperature: r.sampling.temperature,
    top_p: r.sampling.topP,
    max_tokens: r.sampling.maxTokens,
    n: 1,
    ...(r.sampling.topK !== undefined ? { top_k: r.sampling.topK } : {}),
    ...(r.sampling.seed !== undefined ? { seed: r.sampling.seed } : {}),
  };
}

const snippet = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s).replace(/\s+/g, " ").trim();

/** Sends one chat completion with retries; see the module comment for the outcomes. */
export async function chatCompletion(r: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
  const url = `${r.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const body = JSON.stringify(chatBody(r));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (r.apiKey) headers.authorization = `Bearer ${r.apiKey}`;
  let lastRetryable = "";
  let lastKind: "timeout" | "unavailable" = "unavailable";
  const started = performance.now();
  for (let attempt = 1; attempt <= r.retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoffMs(r.retryDelayMs, attempt - 1), signal);
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(r.timeoutMs);
    const t0 = performance.now();
    let status = 0;
    let text = "";
    let retryAfterMs = 0;
    try {
      const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.any([signal, timeout]) });
      status = res.status;
      retryAfterMs = Math.min(60_000, Number(res.headers.get("retry-after") ?? 0) * 1000 || 0);
      text = await res.text();
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) {
        lastKind = "timeout";
        lastRetryable = `no answer within ${r.timeoutMs} ms`;
      } else {
        lastKind = "unavailable";
        lastRetryable = `network error: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`;
      }
      continue;
    }
    const latencyMs = Math.round(performance.now() - t0);
    if (status === 429 || status >= 500) {
      lastKind = "unavailable";
      lastRetryable = `HTTP ${status}: ${snippet(text)}`;
      if (retryAfterMs > 0 && attempt <= r.retries) await sleep(retryAfterMs, signal);
      continue;
    }
    if (status === 401 || status === 403 || status === 404) {
      const field = status === 404 ? "settings.backend.model" : "settings.backend.apiKeySource";
      throw new InferenceSettingsError(field, `${url} answered HTTP ${status}: ${snippet(text)}`);
    }
    if (status < 200 || status >= 300) {
      return { ok: false, kind: "rejected", message: `HTTP ${status}: ${snippet(text)}`, latencyMs, attempts: attempt };
    }
    let parsed: z.infer<typeof completionSchema>;
    try {
      parsed = completionSchema.parse(JSON.parse(text));
    } catch {
      return { ok: false, kind: "bad_response", message: `the answer is not a chat completion: ${snippet(text)}`, latencyMs, attempts: attempt };
    }
    const choice = parsed.choices[0]!;
    return {
      ok: true,
      text: choice.message.content ?? "",
      promptTokens: parsed.usage?.prompt_tokens ?? undefined,
      completionTokens: parsed.usage?.completion_tokens ?? undefined,
      finishReason: choice.finish_reason ?? undefined,
      latencyMs,
      attempts: attempt,
    };
  }
  const attempts = r.retries + 1;
  if (lastKind === "timeout") {
    return { ok: false, kind: "timeout", message: `${lastRetryable} (${attempts} attempt${attempts > 1 ? "s" : ""})`, latencyMs: Math.round(performance.now() - started), attempts };
  }
  throw new InferenceUnavailableError(`${url}: ${lastRetryable} after ${attempts} attempt${attempts > 1 ? "s" : ""}`);
}
