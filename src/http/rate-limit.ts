/**
 * Rate limits: a token bucket per key (a client's address, a conversation), in this process. A
 * request over the limit gets 429 with Retry-After. With several processes each counts on its own,
 * so the effective limit behind a round-robin front is the limit times the processes.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import { errorResponse } from "./errors.js";

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `limit` requests per `windowMs`, refilled continuously; `now` in milliseconds. */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`: 0 when allowed, else the seconds until one is there again. */
  take(key: string): number {
    const now = this.now();
    const rate = this.limit / this.windowMs;
    const b = this.buckets.get(key) ?? { tokens: this.limit, at: now };
    b.tokens = Math.min(this.limit, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size > 50_000) this.sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Forgets buckets that are full again (a client gone quiet), so the map does not grow for ever. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * (this.limit / this.windowMs) >= this.limit) this.buckets.delete(key);
  }
}

/** The client's address: the socket's, or the first X-Forwarded-For hop when the proxy in front is trusted. */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/** 429 with Retry-After when `key` (null: not limited) is over its bucket. */
export function rateLimit(buckets: TokenBuckets, key: (c: Context<AppEnv>) => string | null, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const k = key(c);
    const wait = k === null ? 0 : buckets.take(k);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return errorResponse(c, "rate_limited", `too many ${what}: at most ${buckets.limit} a minute; try again in ${wait} s`);
    }
    await next();
  };
}
