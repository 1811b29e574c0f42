import * as realCrypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// Wraps the real comparison so the tests can see that it is the one used; behaviour is unchanged.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { hashPassword, newPasswordSchema, SCRYPT_PARAMS, verifyPassword } = await import("./password");

describe("hashPassword / verifyPassword", () => {
  it("stores scrypt$N$r$p$salt$hash with today's parameters and verifies the right password only", async () => {
    const stored = await hashPassword("correct horse battery");
    const parts = stored.split("$");
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(["scrypt", String(SCRYPT_PARAMS.N), String(SCRYPT_PARAMS.r), String(SCRYPT_PARAMS.p)]);
    expect(Buffer.from(parts[4] ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? "", "base64")).toHaveLength(32);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterz", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash: the same password hashes differently twice", async () => {
    const [a, b] = await Promise.all([hashPassword("same password 1"), hashPassword("same password 1")]);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
  });

  it("compares keys with crypto.timingSafeEqual", async () => {
    const stored = await hashPassword("timing safe please");
    const spy = vi.mocked(realCrypto.timingSafeEqual);
    spy.mockClear();
    expect(await verifyPassword("timing safe pleasE", stored)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("treats unicode in NFC and NFD as the same password", async () => {
    const nfc = "caf\u00e9 au lait ☕ 42";
    const stored = await hashPassword(nfc);
    expect(await verifyPassword(nfc.normalize("NFD"), stored)).toBe(true);
  });

  it("answers false, without throwing, for malformed or hostile stored hashes", async () => {
    const good = await hashPassword("a fine password");
    const [, , r, p, salt, key] = good.split("$");
    const hostile = [
      "",
      "plaintext-password",
      "bcrypt$2b$10$abc",
      good.replace("scrypt", "SCRYPT"),
      `scrypt$1073741824$${r}$${p}$${salt}$${key}`, // N = 2^30 would need 128 GiB
      `scrypt$30000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$32768$0$${p}$${salt}$${key}`,
      `scrypt$32768$${r}$${p}$$${key}`,
      `scrypt$32768$${r}$${p}$${salt}$`,
      `${good}$extra`,
      "scrypt$32768$8$1$' OR 1=1 --$x",
    ];
    for (const stored of hostile) expect(await verifyPassword("a fine password", stored)).toBe(false);
  });

  it("takes long enough to slow guessing (scrypt, not a fast hash)", async () => {
    const started = performance.now();
    await hashPassword("measure me please");
    expect(performance.now() - started).toBeGreaterThan(20);
  });
});

describe("newPasswordSchema", () => {
  it("requires 10 to 1024 characters and text", () => {
    expect(newPasswordSchema.safeParse("").success).toBe(false);
    expect(newPasswordSchema.safeParse("123456789").success).toBe(false);
    expect(newPasswordSchema.safeParse("1234567890").success).toBe(true);
    expect(newPasswordSchema.safeParse("x".repeat(1024)).success).toBe(true);
    expect(newPasswordSchema.safeParse("x".repeat(1025)).success).toBe(false);
    expect(newPasswordSchema.safeParse(1234567890).success).toBe(false);
    expect(newPasswordSchema.safeParse(null).success).toBe(false);
  });
});
