/** Structured JSON logs (pino) with personal data redacted at the source. */
import { pino, type Logger } from "pino";

export type { Logger };

/** Masks a mainland mobile number for logs and replies: 13812345678 -> 138****5678. */
export function maskPhone(phone: string): string {
  return phone.replace(/(\d{3})\d{4}(\d{4})/g, "$1****$2");
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "kefu" },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "*.customerToken",
          "*.password",
          "*.phone",
          "*.address",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
