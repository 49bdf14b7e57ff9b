/**
 * Least privilege, table-driven: every documented route is tried with every role, and each role is
 * let in exactly where it belongs. "Let in" means the answer is not 401/403 (a made-up id may still
 * give 400 or 404); "kept out" means 401 or 403.
 */
import { describe, expect, it } from "vitest";
import { adminHeaders, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";
import { json } from "../helpers/routing.js";

type Role = "anonymous" | "agent" | "maintainer" | "admin";
const ROLES: Role[] = ["anonymous", "agent", "maintainer", "admin"];

/** Who may use a route, by its path; the first matching row decides. */
const ACCESS: [RegExp, Role[]][] = [
  [/^\/v1\/admin\/(kb|clusters|retrains|nlu\/evaluation|stats)/, ["maintainer", "admin"]],
  [/^\/v1\/admin\//, ["admin"]],
  [/^\/v1\/agents\/login$/, ROLES],
  [/^\/v1\/agents\//, ["agent"]],
  [/^\/v1\/tickets/, ["agent", "admin"]],
  // The shopper's routes: the conversation id (or nothing) is the key, any caller may try.
  [/^\/(v1\/(conversations|kb|nlu|identity)|healthz|openapi\.json|media)/, ROLES],
];

const allowed = (path: string): Role[] => {
  const row = ACCESS.find(([pattern]) => pattern.test(path));
  if (!row) throw new Error(`no access rule for ${path}: add one to the table`);
  return row[1];
};

/** Made-up but well-formed values for path parameters. */
const SAMPLE: Record<string, string> = { id: "cv_AAAAAAAAAAAAAAAA", path: "x" };
const fill = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (path.startsWith("/v1/admin/agents")) return "ag_AAAAAAAA";
    if (path.startsWith("/v1/tickets")) return "TK20261120000000";
    if (path.startsWith("/v1/admin/clusters")) return "999999";
    if (path.startsWith("/v1/admin/kb")) return "no-such-entry";
    if (path.startsWith("/v1/admin/customers")) return "c-1001";
    return SAMPLE[name] ?? "x";
  });

describe("roles on every route", () => {
  const t = useTestApp(testDrivers[0]!);

  it("lets each role in where it belongs and nowhere else", async () => {
    const tokens: Partial<Record<Role, string>> = { admin: adminHeaders.authorization.slice("Bearer ".length) };
    for (const role of ["agent", "maintainer"] as const) {
      const username = `roles-${role}`;
      const created = await t.app.request("/v1/admin/agents", json("POST", { username, name: role, password: "secret-password", role }, adminHeaders));
      expect(created.status).toBe(201);
      tokens[role] = ((await (await t.app.request("/v1/agents/login", json("POST", { username, password: "secret-password" }))).json()) as { token: string }).token;
    }
    const doc = (await (await t.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const failures: string[] = [];
    let tried = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (path.endsWith("/events")) continue; // event streams stay open; tried below
        if (path === "/v1/agents/logout") continue; // would end the session the table uses
        const url = fill(path);
        for (const role of ROLES) {
          const headers: Record<string, string> = { "content-type": "application/json", ...(tokens[role] ? { authorization: `Bearer ${tokens[role]}` } : {}) };
          const res = await t.app.request(url, { method: method.toUpperCase(), headers, ...(method === "get" ? {} : { body: "{}" }) });
          tried++;
          const denied = res.status === 401 || res.status === 403;
          const expectIn = allowed(path).includes(role);
          // A made-up conversation may be 403 for an agent on their own routes; being let in past auth is what counts.
          if (expectIn && denied && !(role === "agent" && res.status === 403)) failures.push(`${method.toUpperCase()} ${path} as ${role}: ${res.status}, expected to be let in`);
          if (!expectIn && !denied) failures.push(`${method.toUpperCase()} ${path} as ${role}: ${res.status}, expected 401/403`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(200);
  });

  it("opens the agent event stream to agents only", async () => {
    const created = await t.app.request("/v1/admin/agents", json("POST", { username: "roles-stream", name: "s", password: "secret-password", role: "maintainer" }, adminHeaders));
    expect(created.status).toBe(201);
    const { token } = (await (await t.app.request("/v1/agents/login", json("POST", { username: "roles-stream", password: "secret-password" }))).json()) as { token: string };
    for (const headers of [{}, adminHeaders, { authorization: `Bearer ${token}` }]) expect((await t.app.request("/v1/agents/me/events", { headers })).status).toBe(401);
  });
});
