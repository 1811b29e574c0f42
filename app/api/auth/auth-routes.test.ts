import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { mutation, route } from "@/app/api/_lib/route";
import { createUser } from "@/server/auth/create-user";
import { sessionCookies } from "@/server/auth/session-cookies";
import { sessionIdForToken } from "@/server/auth/session-token";
import { createTestDatabase, type TestDatabase } from "@/server/db/test-database";
import { POST as login } from "./login/route";
import { POST as logout } from "./logout/route";
import { GET as me } from "./me/route";

const HOST = "127.0.0.1:3250";
const PASSWORD = "pat's long password";
let db: TestDatabase;
const bodies: string[] = [];

// The route code reads env() and getPrisma() without arguments: point both at this file's database
// before the first env() call (it is cached per module instance, i.e. per test file).
beforeAll(async () => {
  db = await createTestDatabase();
  vi.stubEnv("DATABASE_URL", db.url);
  vi.stubEnv("SGG_PUBLIC_READ", "false");
  vi.stubEnv("SGG_SECURE_COOKIES", "false");
  vi.stubEnv("SGG_ADMIN_TOKEN", "");
  await createUser(db.prisma, { username: "pat", password: PASSWORD, role: "admin" });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await db?.drop();
});

const ctx = { params: Promise.resolve({}) };

function req(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Request {
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  return new Request(`http://${HOST}${path}`, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers: { host: HOST, "content-type": "application/json", ...init.headers },
    body,
  });
}

async function send(handler: (r: Request, c: typeof ctx) => Promise<Response>, r: Request) {
  const response = await handler(r, ctx);
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, cookies: response.headers.getSetCookie(), headers: response.headers };
}

interface ParsedCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}
function parseSetCookie(header: string): ParsedCookie {
  const [pair = "", ...attrs] = header.split(";").map((s) => s.trim());
  const eq = pair.indexOf("=");
  const attributes = new Map(attrs.map((a) => [a.split("=")[0]!.toLowerCase(), a.split("=")[1] ?? ""] as [string, string]));
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

async function signIn(client: string) {
  const res = await send(login, req("/api/auth/login", { body: { username: "pat", password: PASSWORD }, headers: { "x-forwarded-for": client } }));
  expect(res.status).toBe(200);
  const cookies = res.cookies.map(parseSetCookie);
  const token = cookies.find((c) => c.name === "sgg_session")!.value;
  const csrf = cookies.find((c) => c.name === "sgg_csrf")!.value;
  return { token, csrf, cookie: `sgg_session=${token}; sgg_csrf=${csrf}` };
}

// A tiny mutating route and a read route built with the same wrappers every API route uses.
const echo = mutation({ body: z.object({ name: z.string().max(100) }) }, async ({ body, actor }) => ({ name: body.name, actor }));
const read = route({}, async ({ actor }) => ({ actor }));

describe("POST /api/auth/login", () => {
  it("signs in: answers the name and role and sets HttpOnly/SameSite cookies", async () => {
    const res = await send(login, req("/api/auth/login", { body: { username: "PAT", password: PASSWORD }, headers: { "x-forwarded-for": "192.0.2.1" } }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ username: "pat", role: "admin" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const cookies = new Map(res.cookies.map(parseSetCookie).map((c) => [c.name, c]));
    const session = cookies.get("sgg_session")!;
    const csrf = cookies.get("sgg_csrf")!;
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...session.attributes.keys()].sort()).toEqual(["httponly", "max-age", "path", "samesite"]);
    expect(session.attributes.get("samesite")).toBe("Lax");
    expect(session.attributes.get("path")).toBe("/");
    expect(session.attributes.get("max-age")).toBe(String(14 * 24 * 3600));
    expect(csrf.attributes.has("httponly")).toBe(false);
    expect(csrf.attributes.get("samesite")).toBe("Lax");
    expect(csrf.value).not.toBe(session.value);
    // The database holds the token's hash, not the token.
    const row = await db.prisma.session.findUnique({ where: { id: sessionIdForToken(session.value) } });
    expect(row?.csrfToken).toBe(csrf.value);
    expect(await db.prisma.session.findUnique({ where: { id: session.value } })).toBeNull();
  });

  it("marks both cookies Secure when SGG_SECURE_COOKIES is on", () => {
    const cookies = sessionCookies({ token: "t", csrfToken: "c", maxAgeS: 60, secure: true }).map(parseSetCookie);
    expect(cookies.map((c) => c.attributes.has("secure"))).toEqual([true, true]);
  });

  it.each([
    ["a wrong password", { username: "pat", password: "not pat's password" }],
    ["an unknown user", { username: "nobody", password: PASSWORD }],
    ["an empty password", { username: "pat", password: "" }],
    ["a SQL-ish username", { username: "pat' OR '1'='1' --", password: "' OR '1'='1" }],
    ["a unicode username", { username: "păt", password: PASSWORD }],
  ])("refuses %s with the same 401 message and no cookie", async (_label, body) => {
    const res = await send(login, req("/api/auth/login", { body, headers: { "x-forwarded-for": "192.0.2.2" } }));
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: "wrong username or password" });
    expect(res.cookies).toEqual([]);
  });

  it.each([
    ["not JSON", "{username: pat"],
    ["no password", { username: "pat" }],
    ["a number for a name", { username: 1, password: PASSWORD }],
    ["a very long username", { username: "p".repeat(100_000), password: PASSWORD }],
    ["a very long password", { username: "pat", password: "x".repeat(100_000) }],
  ])("answers 400 for %s", async (_label, body) => {
    const res = await send(login, req("/api/auth/login", { body, headers: { "x-forwarded-for": "192.0.2.3" } }));
    expect(res.status).toBe(400);
    expect(res.cookies).toEqual([]);
  });

  it("refuses a sign-in posted from another site (login CSRF)", async () => {
    const res = await send(login, req("/api/auth/login", { body: { username: "pat", password: PASSWORD }, headers: { origin: "https://evil.example" } }));
    expect(res.status).toBe(403);
    expect(res.cookies).toEqual([]);
  });

  it("answers 429 with Retry-After after 10 failures, even for the right password, for that client only", async () => {
    const client = { "x-forwarded-for": "198.51.100.77" };
    for (let i = 0; i < 10; i++) {
      expect((await send(login, req("/api/auth/login", { body: { username: "pat", password: `guess number ${i}` }, headers: client }))).status).toBe(401);
    }
    const blocked = await send(login, req("/api/auth/login", { body: { username: "pat", password: PASSWORD }, headers: client }));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(blocked.cookies).toEqual([]);
    expect((await send(login, req("/api/auth/login", { body: { username: "pat", password: PASSWORD }, headers: { "x-forwarded-for": "198.51.100.78" } }))).status).toBe(200);
  });
});

describe("route wrappers with a session", () => {
  it("a mutation runs for a signed-in user with the CSRF header", async () => {
    const s = await signIn("192.0.2.10");
    const res = await send(echo, req("/api/echo", { body: { name: "x" }, headers: { cookie: s.cookie, "x-sgg-csrf": s.csrf, origin: `http://${HOST}` } }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: "x", actor: { kind: "user", username: "pat", role: "admin" } });
  });

  it.each([
    ["without the CSRF header", () => ({}), 403],
    ["with a wrong CSRF header", () => ({ "x-sgg-csrf": "wrong" }), 403],
    ["from another site", (s: { csrf: string }) => ({ "x-sgg-csrf": s.csrf, origin: "https://evil.example" }), 403],
  ])("a mutation is refused %s", async (_label, extra, status) => {
    const s = await signIn("192.0.2.11");
    const res = await send(echo, req("/api/echo", { body: { name: "x" }, headers: { cookie: s.cookie, ...extra(s) } }));
    expect(res.status).toBe(status);
    expect(res.json.error).toEqual(expect.any(String));
  });

  it("anonymous: reads are refused while public read is off, mutations always", async () => {
    expect((await send(read, req("/api/read"))).status).toBe(401);
    expect((await send(echo, req("/api/echo", { body: { name: "x" } }))).status).toBe(401);
  });

  it("a stale cookie answers 401 and clears both cookies", async () => {
    const s = await signIn("192.0.2.12");
    await db.prisma.session.update({ where: { id: sessionIdForToken(s.token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await send(read, req("/api/read", { headers: { cookie: s.cookie } }));
    expect(res.status).toBe(401);
    expect(res.cookies.map(parseSetCookie).map((c) => [c.name, c.value, c.attributes.get("max-age")])).toEqual([
      ["sgg_session", "", "0"],
      ["sgg_csrf", "", "0"],
    ]);
  });
});

describe("GET /api/auth/me and POST /api/auth/logout", () => {
  it("me answers for anonymous visitors and signed-in users", async () => {
    expect((await send(me, req("/api/auth/me"))).json).toEqual({ user: null, publicRead: false });
    const s = await signIn("192.0.2.20");
    expect((await send(me, req("/api/auth/me", { headers: { cookie: s.cookie } }))).json).toEqual({ user: { username: "pat", role: "admin" }, publicRead: false });
  });

  it("logout needs the CSRF header, ends the session and clears the cookies", async () => {
    const s = await signIn("192.0.2.21");
    expect((await send(logout, req("/api/auth/logout", { method: "POST", headers: { cookie: s.cookie } }))).status).toBe(403);
    const res = await send(logout, req("/api/auth/logout", { method: "POST", headers: { cookie: s.cookie, "x-sgg-csrf": s.csrf } }));
    expect(res.status).toBe(200);
    expect(res.cookies.map((c) => parseSetCookie(c).attributes.get("max-age"))).toEqual(["0", "0"]);
    expect(await db.prisma.session.findUnique({ where: { id: sessionIdForToken(s.token) } })).toBeNull();
    const after = await send(me, req("/api/auth/me", { headers: { cookie: s.cookie } }));
    expect(after.json.user).toBeNull();
    expect(after.cookies).toHaveLength(2);
  });
});

describe("every answer above", () => {
  it("carried no password hash and no password", async () => {
    const hash = (await db.prisma.user.findUniqueOrThrow({ where: { username: "pat" } })).passwordHash;
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      expect(body).not.toContain("scrypt$");
      expect(body).not.toContain(hash.split("$")[5]);
      expect(body).not.toContain(PASSWORD);
    }
  });
});
