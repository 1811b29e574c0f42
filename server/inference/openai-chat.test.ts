import { afterEach, describe, expect, it } from "vitest";
import { backoffMs, chatBody, chatCompletion, type ChatRequest } from "./openai-chat";
import { startStubOpenAiServer, type StubReply, type StubServer } from "./testing/stub-openai-server";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const request = (baseUrl: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  baseUrl,
  model: "m",
  system: "sys",
  user: "user text",
  image: { bytes: Uint8Array.from([1, 2, 3]), mime: "image/png" },
  sampling: { temperature: 0.01, topP: 0.001, maxTokens: 16 },
  timeoutMs: 2000,
  retries: 2,
  retryDelayMs: 1,
  ...extra,
});

async function serve(replies: StubReply[]): Promise<string> {
  stub = await startStubOpenAiServer((_, n) => replies[Math.min(n, replies.length) - 1]!);
  return stub.url;
}

describe("chatCompletion", () => {
  it("sends the image first as a data URL, and top_k / seed only when set", () => {
    const body = chatBody(request("http://x/v1"));
    expect(body.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AQID" } }, { type: "text", text: "user text" }] },
    ]);
    expect(body).not.toHaveProperty("top_k");
    expect(body).not.toHaveProperty("seed");
    expect(chatBody(request("http://x/v1", { sampling: { temperature: 1, topP: 0.9, topK: 50, maxTokens: 8, seed: 3 } }))).toMatchObject({ top_k: 50, seed: 3 });
  });

  it("backs off exponentially with jitter, capped at 30 s", () => {
    expect(backoffMs(1000, 1, () => 1)).toBe(1000);
    expect(backoffMs(1000, 3, () => 1)).toBe(4000);
    expect(backoffMs(1000, 3, () => 0)).toBe(2000);
    expect(backoffMs(1000, 20, () => 1)).toBe(30_000);
  });

  it("does not retry a 4xx other than 429: the image fails with the server's reason", async () => {
    const url = await serve([{ status: 400, body: '{"error":{"message":"prompt is too long"}}' }]);
    const r = await chatCompletion(request(url), new AbortController().signal);
    expect(r).toMatchObject({ ok: false, kind: "rejected", attempts: 1 });
    expect(r.ok ? "" : r.message).toContain("prompt is too long");
    expect(stub!.requests).toHaveLength(1);
  });

  it("reports a 200 that is not a chat completion as a bad response", async () => {
    const url = await serve([{ body: '{"choices": []}' }]);
    expect(await chatCompletion(request(url), new AbortController().signal)).toMatchObject({ ok: false, kind: "bad_response" });
  });

  it("stops at once when the caller aborts, with the caller's reason", async () => {
    const url = await serve([{ delayMs: 5000, content: "late" }]);
    const abort = new AbortController();
    const t0 = performance.now();
    setTimeout(() => abort.abort(new Error("cancelled by user")), 50);
    await expect(chatCompletion(request(url, { timeoutMs: 10_000 }), abort.signal)).rejects.toThrow("cancelled by user");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("sends the key as a bearer token when one is given", async () => {
    const url = await serve([{ content: "ok" }]);
    expect(await chatCompletion(request(url, { apiKey: "k-123" }), new AbortController().signal)).toMatchObject({ ok: true, text: "ok" });
    expect(stub!.requests[0]!.authorization).toBe("Bearer k-123");
  });
});
