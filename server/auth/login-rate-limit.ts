/**
 * Failed sign-ins counted in memory (one process; a restart forgets them): at most 10 failures per
 * username and client address in 10 minutes, and 50 per username from all addresses together, since
 * the address comes from X-Forwarded-For, which a client can invent when no reverse proxy sets it.
 */

export interface RateLimitOptions {
  /** Failures allowed per username + client within `windowMs`. */
  readonly maxFailures: number;
  /** Failures allowed per username from all clients within `windowMs`. */
  readonly maxPerUsername: number;
  readonly windowMs: number;
  /** Bound on remembered keys, so a flood of invented names cannot exhaust memory. */
  readonly maxKeys: number;
  readonly clock: () => number;
}

const DEFAULTS: RateLimitOptions = { maxFailures: 10, maxPerUsername: 50, windowMs: 10 * 60_000, maxKeys: 10_000, clock: Date.now };

export type RateLimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };

export class LoginRateLimiter {
  private readonly options: RateLimitOptions;
  private readonly failures = new Map<string, number[]>();

  constructor(options: Partial<RateLimitOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  private keys(username: string, client: string): [string, number][] {
    const name = username.trim().toLowerCase().slice(0, 128);
    return [
      [`c\u0000${name}\u0000${client.slice(0, 256)}`, this.options.maxFailures],
      [`u\u0000${name}`, this.options.maxPerUsername],
    ];
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Whether another attempt for `username` from `client` may be checked now. */
  check(username: string, client: string): RateLimitVerdict {
    const now = this.options.clock();
    let retryAt = 0;
    for (const [key, max] of this.keys(username, client)) {
      const times = this.recent(key, now);
      if (times.length >= max) retryAt = Math.max(retryAt, (times[times.length - max] ?? now) + this.options.windowMs);
    }
    return retryAt > now ? { allowed: false, retryAfterS: Math.ceil((retryAt - now) / 1000) } : { allowed: true };
  }

  recordFailure(username: string, client: string): void {
    const now = this.options.clock();
    for (const [key, max] of this.keys(username, client)) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key); // re-insert: Map order then runs from least to most recently failed
      this.failures.set(key, times.slice(-max));
    }
    this.evict(now);
  }

  /** A correct password clears this client's count (not the username-wide one). */
  recordSuccess(username: string, client: string): void {
    const [clientKey] = this.keys(username, client);
    if (clientKey) this.failures.delete(clientKey[0]);
  }

  /** Number of keys held (for tests of the memory bound). */
  get size(): number {
    return this.failures.size;
  }

  private evict(now: number): void {
    if (this.failures.size <= this.options.maxKeys) return;
    for (const key of [...this.failures.keys()]) this.recent(key, now);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.options.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

const registry = globalThis as typeof globalThis & { __sggLoginRateLimiter?: LoginRateLimiter };

/** The process-wide limiter used by the sign-in route. */
export function loginRateLimiter(): LoginRateLimiter {
  return (registry.__sggLoginRateLimiter ??= new LoginRateLimiter());
}

/** The client address of a request as the server saw it: the first X-Forwarded-For entry (Next sets it from the socket when absent). */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
