/** GET /healthz: liveness and what the process runs on. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponse } from "../errors.js";
import { createRouter, ErrorSchema } from "../openapi.js";

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    db: z.enum(["pglite", "postgres"]),
    tfBackend: z.string().openapi({ example: "wasm" }),
    version: z.string(),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["system"],
  summary: "Service health",
  responses: {
    200: { description: "The service and its database answer", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "The database does not answer", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export function healthRoutes(deps: { dbKind: "pglite" | "postgres"; ping: () => Promise<void>; tfBackend: string; version: string }) {
  return createRouter().openapi(route, async (c) => {
    try {
      await deps.ping();
    } catch (err) {
      c.get("log").warn({ err }, "health check: database did not answer");
      return errorResponse(c, "service_unavailable", "the database does not answer") as never;
    }
    return c.json({ status: "ok" as const, db: deps.dbKind, tfBackend: deps.tfBackend, version: deps.version }, 200);
  });
}
