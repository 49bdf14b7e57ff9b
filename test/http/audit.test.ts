/** The audit log records every accepted change through the admin and staff API, without secrets, and only admins read it. */
import { describe, expect, it } from "vitest";
import { adminHeaders, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";
import { json } from "../helpers/routing.js";

type Entry = { actor: string; action: string; target: string; status: number; details: Record<string, unknown> };

describe.each(testDrivers)("audit log on $name", (driver) => {
  const t = useTestApp(driver);
  const log = async () => ((await (await t.app.request("/v1/admin/audit?pageSize=50", { headers: adminHeaders })).json()) as { items: Entry[] }).items;

  it("records knowledge and agent changes with who made them, and leaves out passwords", async () => {
    const entry = { id: "audit-test", question: "审计测试问题是什么", similar: ["审计测试"], answer: "这是审计测试的答案。", category: "service" };
    expect((await t.app.request("/v1/admin/kb/entries", json("POST", entry, { ...adminHeaders, "x-kefu-user": "xiaoli" }))).status).toBe(201);
    expect((await t.app.request("/v1/admin/agents", json("POST", { username: "audit-maint", name: "维护", password: "secret-password", role: "maintainer" }, adminHeaders))).status).toBe(201);
    const { token } = (await (await t.app.request("/v1/agents/login", json("POST", { username: "audit-maint", password: "secret-password" }))).json()) as { token: string };
    expect((await t.app.request("/v1/admin/kb/entries/audit-test", { method: "DELETE", headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    // A refused change is not a change.
    expect((await t.app.request("/v1/admin/kb/entries", json("POST", { id: "x" }, adminHeaders))).status).toBe(400);

    const items = await log();
    const [deleted, agent, created] = items;
    expect(deleted).toMatchObject({ action: "DELETE /v1/admin/kb/entries/:id", target: "/v1/admin/kb/entries/audit-test", status: 204 });
    expect(deleted!.actor).toMatch(/^maintainer:ag_/);
    expect(agent).toMatchObject({ actor: "admin", action: "POST /v1/admin/agents", status: 201, details: { username: "audit-maint", password: "[redacted]" } });
    expect(created).toMatchObject({ actor: "admin", action: "POST /v1/admin/kb/entries", details: { id: "audit-test" } });
    expect(items.some((i) => i.status >= 400)).toBe(false);
    expect(JSON.stringify(items)).not.toContain("secret-password");
    // Maintainers change knowledge but do not read the log.
    expect((await t.app.request("/v1/admin/audit", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
