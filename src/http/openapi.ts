/** Helpers for declaring routes once with their zod schemas. */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { describeZodError, errorResponse } from "./errors.js";
import type { AppEnv } from "./env.js";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      requestId: z.string().optional(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const errorContentFor = (description: string) => errorContent(description);

const errorContent = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

/** Standard error responses to spread into a route's `responses`. */
export const errorResponses = {
  400: errorContent("Invalid input"),
  500: errorContent("Internal error"),
} as const;
export const adminErrorResponses = {
  ...errorResponses,
  401: errorContent("Missing or wrong admin key"),
} as const;
export const notFoundResponse = { 404: errorContent("Not found") } as const;
export const unauthorizedResponse = { 401: errorContent("Not authenticated") } as const;

/** A sub-app whose validation failures answer with the standard error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, details } = describeZodError(result.error, result.target);
        return errorResponse(c, "validation_failed", message, details);
      }
    },
  });
}

/** Recursively replaces Date by its ISO string, as JSON serialisation would. */
export type Serialized<T> = T extends Date
  ? string
  : T extends readonly unknown[]
    ? { [K in keyof T]: Serialized<T[K]> }
    : T extends object
      ? { [K in keyof T]: Serialized<T[K]> }
      : T;

export function serialize<T>(value: T): Serialized<T> {
  return JSON.parse(JSON.stringify(value)) as Serialized<T>;
}
