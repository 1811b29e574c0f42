import { describe, expect, it } from "vitest";
import { clientAddress, LoginRateLimiter } from "./login-rate-limit";

function limiter(overrides: Partial<ConstructorParameters<typeof LoginRateLimiter>[0]> = {}) {
  let now = 1_000_000;
  const l = new LoginRateLimiter({ clock: () => now, ...overrides });
  return { l, advance: (ms: number) => (now += ms) };
}

describe("LoginRateLimiter", () => {
  it("blocks the 11th attempt after 10 failures for a username and client, for the rest of the 10 minutes", () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 10; i++) {
      expect(l.check("alice", "10.0.0.1").allowed).toBe(true);
      l.recordFailure("alice", "10.0.0.1");
      advance(1000);
    }
    const blocked = l.check("alice", "10.0.0.1");
    expect(blocked).toEqual({ allowed: false, retryAfterS: 600 - 10 });
    // Another client, and another user from the same client, are unaffected.
    expect(l.check("alice", "10.0.0.2").allowed).toBe(true);
    expect(l.check("bob", "10.0.0.1").allowed).toBe(true);
    advance(590_000);
    expect(l.check("alice", "10.0.0.1").allowed).toBe(true);
  });

  it("counts usernames case-insensitively", () => {
    const { l } = limiter({ maxFailures: 2 });
    l.recordFailure("Alice", "c");
    l.recordFailure("ALICE ", "c");
    expect(l.check("alice", "c").allowed).toBe(false);
  });

  it("caps failures per username across invented client addresses", () => {
    const { l } = limiter({ maxFailures: 10, maxPerUsername: 20 });
    for (let i = 0; i < 20; i++) l.recordFailure("alice", `198.51.100.${i}`);
    expect(l.check("alice", "203.0.113.99").allowed).toBe(false);
    expect(l.check("bob", "203.0.113.99").allowed).toBe(true);
  });

  it("a success clears that client's count", () => {
    const { l } = limiter({ maxFailures: 3 });
    for (let i = 0; i < 2; i++) l.recordFailure("alice", "c");
    l.recordSuccess("alice", "c");
    for (let i = 0; i < 2; i++) l.recordFailure("alice", "c");
    expect(l.check("alice", "c").allowed).toBe(true);
    l.recordFailure("alice", "c");
    expect(l.check("alice", "c").allowed).toBe(false);
  });

  it("holds a bounded number of keys however many names are tried", () => {
    const { l } = limiter({ maxKeys: 100 });
    for (let i = 0; i < 5000; i++) l.recordFailure(`user${i}`, `client${i}`);
    expect(l.size).toBeLessThanOrEqual(100);
    // The most recent failures are the ones kept.
    expect(l.check("user4999", "client4999").allowed).toBe(true);
  });

  it("copes with very long and unicode usernames and addresses", () => {
    const { l } = limiter({ maxFailures: 1 });
    const long = "ü".repeat(100_000);
    l.recordFailure(long, "x".repeat(100_000));
    expect(l.check(long, "x".repeat(100_000)).allowed).toBe(false);
  });
});

describe("clientAddress", () => {
  it("takes the first X-Forwarded-For entry", () => {
    expect(clientAddress(new Request("http://h/", { headers: { "x-forwarded-for": "203.0.113.5, 10.0.0.1" } }))).toBe("203.0.113.5");
    expect(clientAddress(new Request("http://h/"))).toBe("unknown");
  });
});
