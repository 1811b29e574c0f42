import * as realCrypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { loadEnv } from "../env";

// Wraps the real comparison so the tests can see it is the one used; behaviour is unchanged.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const { AuthError, SessionExpiredError } = await import("./actor");
const { authorizeRequest } = await import("./authorize-request");
const { createSession } = await import("./create-session");
const { createUser } = await import("./create-user");
const { endSession } = await import("./end-session");
const { findSession } = await import("./find-session");
const { pageAccess } = await import("./page-access");
const { sessionIdForToken } = await import("./session-token");

const ADMIN_TOKEN = "admin-token-0123456789abcdef";
const HOST = "workbench.test:3250";
let db: TestDatabase;
let userId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = (await createUser(db.prisma, { username: "rita", password: "rita's password" })).id;
});
afterAll(async () => {
  await db?.drop();
});

const config = (publicRead: boolean) => loadEnv({ SGG_ADMIN_TOKEN: ADMIN_TOKEN, SGG_PUBLIC_READ: String(publicRead), DATABASE_URL: db.url }, "/tmp");

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`http://${HOST}${path}`, { method: init.method ?? "GET", headers: { host: HOST, ...init.headers } });
}

async function outcome(req: Request, mutating: boolean, publicRead = false, now?: Date) {
  try {
    const actor = await authorizeRequest(req, { mutating, env: config(publicRead), prisma: db.prisma, now });
    return { actor };
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    return { status: e.status, message: e.message, expired: e instanceof SessionExpiredError };
  }
}

describe("sessions", () => {
  it("keeps only the SHA-256 of the token: no column holds the live token", async () => {
    const s = await createSession(db.prisma, userId);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).not.toBe(s.token);
    const rows = await db.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "Session"`;
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(s.token);
    expect(dump).toContain(sessionIdForToken(s.token));
    expect(sessionIdForToken(s.token)).toMatch(/^[0-9a-f]{64}$/);
    expect(s.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 86_400_000 - 60_000);
  });

  it("finds a live session, refuses and deletes an expired one, and ends one on sign-out", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const s = await createSession(db.prisma, userId, { now, maxAgeS: 60 });
    expect((await findSession(db.prisma, s.token, new Date(now.getTime() + 59_000)))?.user.username).toBe("rita");
    expect(await findSession(db.prisma, s.token, new Date(now.getTime() + 60_000))).toBeNull();
    expect(await db.prisma.session.findUnique({ where: { id: sessionIdForToken(s.token) } })).toBeNull();

    const t = await createSession(db.prisma, userId);
    expect(await endSession(db.prisma, t.token)).toBe(true);
    expect(await findSession(db.prisma, t.token)).toBeNull();
    expect(await endSession(db.prisma, t.token)).toBe(false);
  });

  it("ignores malformed tokens without a lookup error", async () => {
    for (const token of ["", "x", "' OR 1=1 --", "a".repeat(10_000), "é".repeat(43), sessionIdForToken("x")]) {
      expect(await findSession(db.prisma, token)).toBeNull();
      expect(await endSession(db.prisma, token)).toBe(false);
    }
  });
});

describe("authorizeRequest: the admin token", () => {
  it("accepts the exact token for reads and writes, without any CSRF header", async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect(await outcome(request("/api/x", { headers }), false)).toEqual({ actor: { kind: "admin-token" } });
    expect(await outcome(request("/api/x", { method: "POST", headers }), true)).toEqual({ actor: { kind: "admin-token" } });
    expect(await outcome(request("/api/x", { method: "POST", headers: { authorization: `bearer  ${ADMIN_TOKEN}` } }), true)).toEqual({
      actor: { kind: "admin-token" },
    });
  });

  it.each([
    ["a wrong token of the same length", `Bearer ${ADMIN_TOKEN.slice(0, -1)}X`],
    ["a prefix of the token", `Bearer ${ADMIN_TOKEN.slice(0, 16)}`],
    ["the token with extra characters", `Bearer ${ADMIN_TOKEN}0`],
    ["an empty bearer", "Bearer "],
    ["a bearer with two words", `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}`],
  ])("refuses %s with 401, even where anonymous reads are allowed", async (_label, authorization) => {
    for (const [mutating, publicRead] of [[false, true], [true, true], [false, false]] as const) {
      expect(await outcome(request("/api/x", { headers: { authorization } }), mutating, publicRead)).toMatchObject({ status: 401 });
    }
  });

  it.each([
    ["another scheme", `Basic ${ADMIN_TOKEN}`],
    ["no scheme", ADMIN_TOKEN],
    ["a glued prefix", `Bearer${ADMIN_TOKEN}`],
    ["a token-named scheme", `Token ${ADMIN_TOKEN}`],
  ])("never grants admin for %s", async (_label, authorization) => {
    expect(await outcome(request("/api/x", { method: "POST", headers: { authorization } }), true)).toMatchObject({ status: 401 });
    expect(await outcome(request("/api/x", { headers: { authorization } }), false, true)).toEqual({ actor: null });
  });

  it("compares the token in constant time", async () => {
    const spy = vi.mocked(realCrypto.timingSafeEqual);
    spy.mockClear();
    await outcome(request("/api/x", { headers: { authorization: "Bearer short" } }), false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("refuses any bearer when the server has no admin token", async () => {
    const env = loadEnv({ DATABASE_URL: db.url }, "/tmp");
    await expect(authorizeRequest(request("/", { headers: { authorization: "Bearer anything-at-all-123" } }), { mutating: false, env, prisma: db.prisma })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining("SGG_ADMIN_TOKEN"),
    });
  });
});

describe("authorizeRequest: sessions and CSRF", () => {
  async function signedIn() {
    const s = await createSession(db.prisma, userId);
    return { ...s, cookie: `other=1; sgg_session=${s.token}; sgg_csrf=${s.csrfToken}` };
  }

  it("a session cookie makes the user the actor for reads", async () => {
    const s = await signedIn();
    expect(await outcome(request("/api/x", { headers: { cookie: s.cookie } }), false)).toEqual({
      actor: { kind: "user", userId, username: "rita", role: "researcher" },
    });
  });

  it("a write with the CSRF header from the same site passes", async () => {
    const s = await signedIn();
    const ok = { cookie: s.cookie, "x-sgg-csrf": s.csrfToken };
    expect(await outcome(request("/api/x", { method: "POST", headers: ok }), true)).toMatchObject({ actor: { kind: "user" } });
    expect(await outcome(request("/api/x", { method: "POST", headers: { ...ok, origin: `http://${HOST}` } }), true)).toMatchObject({ actor: { kind: "user" } });
    expect(await outcome(request("/api/x", { method: "POST", headers: { ...ok, referer: `http://${HOST}/datasets` } }), true)).toMatchObject({ actor: { kind: "user" } });
    // Behind a reverse proxy the public host arrives in X-Forwarded-Host.
    const proxied = { ...ok, host: "127.0.0.1:3100", "x-forwarded-host": "sgg.example.org", origin: "https://sgg.example.org" };
    expect(await outcome(request("/api/x", { method: "POST", headers: proxied }), true)).toMatchObject({ actor: { kind: "user" } });
  });

  it("compares the CSRF token in constant time", async () => {
    const s = await signedIn();
    const spy = vi.mocked(realCrypto.timingSafeEqual);
    spy.mockClear();
    await outcome(request("/api/x", { method: "POST", headers: { cookie: s.cookie, "x-sgg-csrf": "wrong" } }), true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["no CSRF header", {}, "missing the x-sgg-csrf header"],
    ["an empty CSRF header", { "x-sgg-csrf": "" }, "missing"],
    ["a wrong CSRF header", { "x-sgg-csrf": "A".repeat(43) }, "does not match"],
    ["a CSRF header of another length", { "x-sgg-csrf": "abc" }, "does not match"],
  ])("refuses a write with %s (403)", async (_label, extra, message) => {
    const s = await signedIn();
    const result = await outcome(request("/api/x", { method: "POST", headers: { cookie: s.cookie, ...extra } }), true);
    expect(result).toMatchObject({ status: 403, message: expect.stringContaining(message) });
  });

  it("refuses another session's CSRF token", async () => {
    const [a, b] = [await signedIn(), await signedIn()];
    expect(await outcome(request("/api/x", { method: "POST", headers: { cookie: a.cookie, "x-sgg-csrf": b.csrfToken } }), true)).toMatchObject({ status: 403 });
  });

  it.each([
    ["Origin of another site", { origin: "https://evil.example" }],
    ["Origin on another port", { origin: "http://workbench.test:9999" }],
    ["Origin of a look-alike host", { origin: "http://workbench.test:3250.evil.example" }],
    ["Origin null (sandboxed frame)", { origin: "null" }],
    ["Origin that is not a URL", { origin: "not a url" }],
    ["Origin with another scheme", { origin: "file:///etc/passwd" }],
    ["Referer of another site", { referer: "https://evil.example/page" }],
    ["Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
  ])("refuses a write with the right token but an %s (403)", async (_label, extra) => {
    const s = await signedIn();
    const result = await outcome(request("/api/x", { method: "POST", headers: { cookie: s.cookie, "x-sgg-csrf": s.csrfToken, ...extra } }), true);
    expect(result).toMatchObject({ status: 403, message: expect.stringContaining("cross-site") });
  });

  it("refuses an expired session (401, clearing the cookies) and treats it as anonymous where reads are public", async () => {
    const past = new Date(Date.now() - 20 * 86_400_000);
    const s = await createSession(db.prisma, userId, { now: past });
    const headers = { cookie: `sgg_session=${s.token}`, "x-sgg-csrf": s.csrfToken };
    expect(await outcome(request("/api/x", { method: "POST", headers }), true)).toMatchObject({ status: 401, expired: true });
    const again = await createSession(db.prisma, userId, { now: past });
    expect(await outcome(request("/api/x", { headers: { cookie: `sgg_session=${again.token}` } }), false, false)).toMatchObject({ status: 401, expired: true });
    expect(await outcome(request("/api/x", { headers: { cookie: `sgg_session=${again.token}` } }), false, true)).toEqual({ actor: null });
  });

  it("refuses an unknown or forged session cookie", async () => {
    for (const token of ["A".repeat(43), "' OR 1=1 --", sessionIdForToken("anything")]) {
      expect(await outcome(request("/api/x", { method: "POST", headers: { cookie: `sgg_session=${token}`, "x-sgg-csrf": "x" } }), true)).toMatchObject({ status: 401 });
    }
  });
});

describe("authorizeRequest: anonymous", () => {
  it("reads only when public read is on; writes never", async () => {
    expect(await outcome(request("/api/x"), false, true)).toEqual({ actor: null });
    expect(await outcome(request("/api/x"), false, false)).toMatchObject({ status: 401, message: "sign in to browse this workbench" });
    expect(await outcome(request("/api/x", { method: "POST" }), true, true)).toMatchObject({ status: 401, message: "sign in to do this" });
    // A CSRF header without a session grants nothing.
    expect(await outcome(request("/api/x", { method: "POST", headers: { "x-sgg-csrf": "x", cookie: "sgg_csrf=x" } }), true, true)).toMatchObject({ status: 401 });
  });
});

describe("pageAccess", () => {
  const access = (req: Request, publicRead: boolean) => pageAccess(req, { env: config(publicRead), prisma: db.prisma });

  it("lets everyone in when public read is on", async () => {
    expect(await access(request("/datasets"), true)).toEqual({ allow: true });
  });

  it("sends anonymous visitors to /login with the page to come back to", async () => {
    expect(await access(request("/datasets/3/images?sort=recall"), false)).toEqual({
      allow: false,
      redirectTo: `/login?next=${encodeURIComponent("/datasets/3/images?sort=recall")}`,
      setCookies: [],
    });
    expect(await access(request("/"), false)).toMatchObject({ redirectTo: "/login" });
    expect(await access(request("/x", { headers: { authorization: "Bearer wrong-token-value-123" } }), false)).toMatchObject({ allow: false });
  });

  it("checks the session for real: a made-up cookie is not enough, and an ended one is cleared", async () => {
    expect(await access(request("/datasets", { headers: { cookie: "sgg_session=made-up" } }), false)).toMatchObject({ allow: false });
    const s = await createSession(db.prisma, userId);
    expect(await access(request("/datasets", { headers: { cookie: `sgg_session=${s.token}` } }), false)).toEqual({ allow: true });
    await endSession(db.prisma, s.token);
    const denied = await access(request("/datasets", { headers: { cookie: `sgg_session=${s.token}` } }), false);
    expect(denied).toMatchObject({ allow: false });
    expect(denied.allow ? [] : denied.setCookies.map((c) => c.split(";")[0])).toEqual(["sgg_session=", "sgg_csrf="]);
  });
});
