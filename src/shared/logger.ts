/** Structured JSON logs (pino) with personal data redacted at the source. */
import { pino, type Logger } from "pino";

export type { Logger };

/** Masks a mainland mobile number for logs and replies: 13812345678 -> 138****5678. */
export function maskPhone(phone: string): string {
  return phone.replace(/(\d{3})\d{4}(\d{4})/g, "$1****$2");
}

/**
 * Masks what must not reach a log in free text (an error message quoting a query's parameters):
 * mobile numbers, agent tokens, and the 64-hex-digit customer tokens and password hashes.
 */
export function maskPii(text: string): string {
  return maskPhone(text.replace(/(?<![\d])1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m)))
    .replace(/kat_[A-Za-z0-9_-]{20,}/g, "kat_[redacted]")
    .replace(/\b[0-9a-f]{64}\b/g, "[redacted]")
    .replace(/scrypt\$[^\s",]+/g, "scrypt$[redacted]");
}

/** Errors as pino writes them, with the message and stack masked and no query parameters. */
function serializeError(err: unknown): Record<string, unknown> {
  const base = pino.stdSerializers.err(err as Error) as Record<string, unknown>;
  const { params: _params, query: _query, ...rest } = base;
  const cause = (err as { cause?: unknown }).cause;
  return {
    ...rest,
    ...(typeof base.message === "string" ? { message: maskPii(base.message) } : {}),
    ...(typeof base.stack === "string" ? { stack: maskPii(base.stack) } : {}),
    ...(cause instanceof Error ? { cause: serializeError(cause) } : {}),
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "kefu" },
      serializers: { err: serializeError },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "customerToken",
          "token",
          "password",
          "*.customerToken",
          "*.token",
          "*.password",
          "*.passwordHash",
          "*.phone",
          "*.address",
          "*.*.phone",
          "*.*.address",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
