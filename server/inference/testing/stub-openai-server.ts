/**
 * A scripted OpenAI-compatible chat server on loopback, a test double for the protocol around a model
 * server (vLLM, SGLang): each POST /v1/chat/completions is answered by `script`, which sees the request
 * (the image as its data-URL payload) and how many times that image was asked for, and may delay, fail
 * with a status, or answer any text. Used by the predict tests and the e2e suite.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface StubRequest {
  readonly body: {
    readonly model?: string;
    readonly messages?: { role: string; content: unknown }[];
    readonly temperature?: number;
    readonly top_p?: number;
    readonly top_k?: number;
    readonly max_tokens?: number;
    readonly seed?: number;
  };
  readonly authorization: string | undefined;
  /** Base64 payload of the request's image data URL. */
  readonly image: string | undefined;
}

export interface StubReply {
  readonly status?: number;
  /** Milliseconds before answering (a client timeout closes the connection first). */
  readonly delayMs?: number;
  /** The completion text (status 200). */
  readonly content?: string;
  /** A raw body instead of a chat completion. */
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number };
}

export interface StubServer {
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

function imageOf(body: StubRequest["body"]): string | undefined {
  for (const m of body.messages ?? []) {
    if (!Array.isArray(m.content)) continue;
    for (const part of m.content as { type?: string; image_url?: { url?: string } }[]) {
      const url = part.type === "image_url" ? part.image_url?.url : undefined;
      if (url?.startsWith("data:")) return url.slice(url.indexOf(",") + 1);
    }
  }
  return undefined;
}

/** Starts the stub on 127.0.0.1 (`port` 0: any free port). */
export async function startStubOpenAiServer(script: (request: StubRequest, nthForImage: number) => StubReply, port = 0): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const perImage = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      let body: StubRequest["body"] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as StubRequest["body"];
      } catch {
        res.writeHead(400).end("bad json");
        return;
      }
      const request: StubRequest = { body, authorization: req.headers.authorization, image: imageOf(body) };
      requests.push(request);
      const key = request.image ?? "";
      const n = (perImage.get(key) ?? 0) + 1;
      perImage.set(key, n);
      const reply = script(request, n);
      const send = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        const text =
          reply.body ??
          (status === 200
            ? JSON.stringify({
                id: `chatcmpl-${requests.length}`,
                object: "chat.completion",
                model: body.model,
                choices: [{ index: 0, message: { role: "assistant", content: reply.content ?? "" }, finish_reason: "stop" }],
                usage: { ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 }), total_tokens: 0 },
              })
            : JSON.stringify({ error: { message: `scripted ${status}` } }));
        res.writeHead(status, { "content-type": "application/json", ...reply.headers }).end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/v1`,
    port: actual,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
