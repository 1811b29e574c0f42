import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db/test-database";

// Counts scrypt runs (the real function still runs) to show an unknown user costs one, like a known one.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});
const crypto = await import("node:crypto");
const { AccountError } = await import("./accounts");
const { bootstrapAdmin } = await import("./bootstrap-admin");
const { createUser } = await import("./create-user");
const { listUsers } = await import("./list-users");
const { removeUser } = await import("./remove-user");
const { setPassword } = await import("./set-password");
const { verifyCredentials } = await import("./verify-credentials");

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.user.deleteMany();
});

async function accountError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountError);
  return error as InstanceType<typeof AccountError>;
}

describe("createUser", () => {
  it("stores a lower-cased name and only a scrypt hash; returns no hash", async () => {
    const user = await createUser(db.prisma, { username: "  Alice.B-1_ ", password: "a long secret 1", role: "admin" });
    expect(user).toEqual({ id: expect.any(Number), username: "alice.b-1_", role: "admin", createdAt: expect.any(Date) });
    expect(Object.keys(user)).not.toContain("passwordHash");
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.passwordHash).not.toContain("a long secret 1");
  });

  it.each([
    ["empty", ""],
    ["spaces only", "   "],
    ["SQL-ish", "admin' OR '1'='1"],
    ["SQL comment", "admin'--"],
    ["statement", "x; DROP TABLE \"User\";"],
    ["very long", "a".repeat(65)],
    ["huge", "a".repeat(1_000_000)],
    ["Cyrillic look-alike", "аdmin"],
    ["emoji", "alice🙂"],
    ["NUL byte", "alice\u0000"],
    ["leading dot", ".alice"],
    ["slash", "a/b"],
    ["not a string", 42],
    ["missing", undefined],
  ])("refuses a %s username with a message naming the field", async (_label, username) => {
    const e = await accountError(createUser(db.prisma, { username, password: "a long secret 1" }));
    expect(e.code).toBe("invalid");
    expect(e.field).toBe("username");
    expect(await db.prisma.user.count()).toBe(0);
  });

  it.each([
    ["empty", ""],
    ["nine characters", "123456789"],
    ["too long", "x".repeat(1025)],
    ["not a string", 1234567890],
  ])("refuses an %s password", async (_label, password) => {
    const e = await accountError(createUser(db.prisma, { username: "bob", password }));
    expect([e.code, e.field]).toEqual(["invalid", "password"]);
  });

  it("accepts a unicode password and a name of exactly 64 characters", async () => {
    const name = "b".repeat(64);
    await createUser(db.prisma, { username: name, password: "pässwörd ✓ 密码 🙂" });
    expect(await verifyCredentials(db.prisma, { username: name, password: "pässwörd ✓ 密码 🙂" })).not.toBeNull();
  });

  it("refuses a taken name, whatever its case", async () => {
    await createUser(db.prisma, { username: "carol", password: "a long secret 1" });
    const e = await accountError(createUser(db.prisma, { username: "CAROL", password: "another secret 2" }));
    expect(e.code).toBe("exists");
    expect(e.message).toContain('"carol"');
  });
});

describe("verifyCredentials", () => {
  beforeEach(async () => {
    await createUser(db.prisma, { username: "dave", password: "dave's long secret" });
  });

  it("returns the user for the right password, case-folding the name, and never the hash", async () => {
    const user = await verifyCredentials(db.prisma, { username: "DAVE", password: "dave's long secret" });
    expect(user?.username).toBe("dave");
    expect(JSON.stringify(user)).not.toContain("scrypt");
  });

  it.each([
    ["wrong password", "dave", "dave's long secreT"],
    ["empty password", "dave", ""],
    ["unknown user", "nobody", "dave's long secret"],
    ["SQL-ish name", "dave' OR '1'='1", "x' OR '1'='1"],
    ["SQL-ish password", "dave", "' OR ''='"],
    ["very long name", "d".repeat(100_000), "dave's long secret"],
    ["very long password", "dave", "x".repeat(100_000)],
    ["unicode name", "dávé", "dave's long secret"],
    ["non-string name", { username: "dave" }, "dave's long secret"],
    ["non-string password", "dave", ["dave's long secret"]],
  ])("returns null for a %s", async (_label, username, password) => {
    expect(await verifyCredentials(db.prisma, { username, password })).toBeNull();
  });

  it("runs one scrypt verification whether or not the user exists", async () => {
    await verifyCredentials(db.prisma, { username: "nobody", password: "warm up the dummy" });
    const scrypt = vi.mocked(crypto.scrypt);
    for (const username of ["dave", "nobody", "' OR 1=1 --"]) {
      scrypt.mockClear();
      expect(await verifyCredentials(db.prisma, { username, password: "not the password" })).toBeNull();
      expect(scrypt, username).toHaveBeenCalledTimes(1);
    }
  });
});

describe("setPassword, removeUser, listUsers", () => {
  it("a new password works, the old one stops working and every session of the user ends", async () => {
    const erin = await createUser(db.prisma, { username: "erin", password: "first password" });
    const future = new Date(Date.now() + 3_600_000);
    await db.prisma.session.create({ data: { id: "s1", userId: erin.id, csrfToken: "c", expiresAt: future } });
    expect(await setPassword(db.prisma, { username: "erin", password: "second password" })).toEqual({ sessionsEnded: 1 });
    expect(await verifyCredentials(db.prisma, { username: "erin", password: "first password" })).toBeNull();
    expect(await verifyCredentials(db.prisma, { username: "erin", password: "second password" })).not.toBeNull();
    expect(await db.prisma.session.count()).toBe(0);
    expect((await accountError(setPassword(db.prisma, { username: "erin", password: "short" }))).field).toBe("password");
    expect((await accountError(setPassword(db.prisma, { username: "ghost", password: "long enough!" }))).code).toBe("not-found");
  });

  it("removing a user removes their sessions and keeps their jobs without a creator", async () => {
    const fay = await createUser(db.prisma, { username: "fay", password: "fay's password" });
    await db.prisma.session.create({ data: { id: "s2", userId: fay.id, csrfToken: "c", expiresAt: new Date(Date.now() + 60_000) } });
    const job = await db.prisma.job.create({ data: { id: "00000000-0000-4000-8000-00000000fa11", name: "evaluate", payload: {}, createdById: fay.id } });
    await removeUser(db.prisma, { username: "FAY" });
    expect(await db.prisma.user.count()).toBe(0);
    expect(await db.prisma.session.count()).toBe(0);
    expect(await db.prisma.job.findUnique({ where: { id: job.id } })).toMatchObject({ createdById: null });
    expect((await accountError(removeUser(db.prisma, { username: "fay" }))).code).toBe("not-found");
  });

  it("lists users by name with their live sessions, never a hash", async () => {
    const b = await createUser(db.prisma, { username: "b-user", password: "password b 1" });
    await createUser(db.prisma, { username: "a-user", password: "password a 1", role: "admin" });
    const now = new Date();
    await db.prisma.session.createMany({
      data: [
        { id: "live", userId: b.id, csrfToken: "c", expiresAt: new Date(now.getTime() + 60_000) },
        { id: "dead", userId: b.id, csrfToken: "c", expiresAt: new Date(now.getTime() - 60_000) },
      ],
    });
    const users = await listUsers(db.prisma, now);
    expect(users.map((u) => [u.username, u.role, u.activeSessions])).toEqual([
      ["a-user", "admin", 0],
      ["b-user", "researcher", 1],
    ]);
    expect(JSON.stringify(users)).not.toContain("scrypt");
  });
});

describe("bootstrapAdmin", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sgg-bootstrap-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates admin once with a random password written to a 0600 file, then does nothing", async () => {
    const dataDir = path.join(dir, "data");
    const first = await bootstrapAdmin(db.prisma, dataDir);
    if (!first.created) throw new Error("expected the admin to be created");
    expect(first.username).toBe("admin");
    expect(first.password.length).toBeGreaterThanOrEqual(20);
    expect(first.passwordFile).toBe(path.join(dataDir, "admin-password.txt"));
    expect((await readFile(path.join(dataDir, "admin-password.txt"), "utf8")).trim()).toBe(first.password);
    expect((await stat(path.join(dataDir, "admin-password.txt"))).mode & 0o777).toBe(0o600);
    const admin = await verifyCredentials(db.prisma, { username: "admin", password: first.password });
    expect(admin?.role).toBe("admin");

    expect(await bootstrapAdmin(db.prisma, dataDir)).toEqual({ created: false, users: 1 });
    expect(await db.prisma.user.count()).toBe(1);
  });

  it("replaces an old world-readable password file instead of writing into it", async () => {
    const dataDir = path.join(dir, "again");
    await bootstrapAdmin(db.prisma, dataDir);
    await db.prisma.user.deleteMany();
    await writeFile(path.join(dataDir, "admin-password.txt"), "old\n", { mode: 0o644 });
    const second = await bootstrapAdmin(db.prisma, dataDir);
    expect(second.created).toBe(true);
    expect((await stat(path.join(dataDir, "admin-password.txt"))).mode & 0o777).toBe(0o600);
  });

  it("creates one admin when two starts race", async () => {
    const results = await Promise.all([bootstrapAdmin(db.prisma, path.join(dir, "r1")), bootstrapAdmin(db.prisma, path.join(dir, "r2"))]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.prisma.user.count()).toBe(1);
  });

  it("does nothing when any user exists", async () => {
    await createUser(db.prisma, { username: "someone", password: "someone's pass" });
    expect(await bootstrapAdmin(db.prisma, path.join(dir, "none"))).toEqual({ created: false, users: 1 });
    expect(await db.prisma.user.findUnique({ where: { username: "admin" } })).toBeNull();
  });
});
