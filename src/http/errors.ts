/**
 * The one JSON error shape, {error: {code, message, requestId?, details?}}, and the
 * code -> status table. Rendered by app.onError / app.notFound and by the validation hook.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { DomainError, type ErrorCode } from "../shared/errors.js";
import type { AppEnv } from "./env.js";

export const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  service_unavailable: 503,
  internal: 500,
};

/** For errors that arrive as a bare status (framework exceptions): the first code with that status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(STATUS_BY_CODE)
    .reverse()
    .map(([code, status]) => [status, code as ErrorCode]),
);

/** Clearer words for the framework's own messages. */
function frameworkMessage(code: ErrorCode, message: string): string {
  if (code === "bad_request" && /malformed json/i.test(message)) return "request body is not valid JSON";
  if (code === "unsupported_media_type") return "the request body must be sent as Content-Type: application/json";
  return message || code;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, requestId: c.get("requestId") } };
  if (details !== undefined) body.error.details = details;
  return c.json(body, STATUS_BY_CODE[code]);
}

/** Turns zod issues into a readable message that names each field. */
export function describeZodError(error: ZodError, target: string): { message: string; details: unknown } {
  const issues = error.issues.map((i) => ({ path: [target, ...i.path.map(String)].join("."), message: i.message }));
  const message = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join("; ");
  return { message, details: issues };
}

/** app.onError: domain errors keep their code; anything unknown is a logged 500 without internals. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) {
    return errorResponse(c, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const code = CODE_BY_STATUS[err.status] ?? (err.status >= 500 ? "internal" : "bad_request");
    const message = frameworkMessage(code, err.message);
    return errorResponse(c, code, message);
  }
  if (isDatabaseUnavailable(err)) {
    c.get("log")?.error({ err }, "database unavailable");
    return errorResponse(c, "service_unavailable", "the service is temporarily unavailable, please retry shortly");
  }
  c.get("log")?.error({ err }, "unhandled error");
  return errorResponse(c, "internal", "internal error; quote the request id when reporting it");
}

function isDatabaseUnavailable(err: Error): boolean {
  const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  return ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001"].includes(code ?? "") ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(err.message);
}
