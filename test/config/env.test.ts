import { describe, expect, it } from "vitest";
import { ConfigError, DEV_ADMIN_KEY, DEV_IDENTITY_SECRET, loadConfig } from "../../src/config/env.js";

describe("configuration", () => {
  it("has working defaults for development: embedded database under ./data, dev secrets", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./data/pglite" });
    expect(config.identitySecret).toBe(DEV_IDENTITY_SECRET);
    expect(config.adminKey).toBe(DEV_ADMIN_KEY);
  });

  it("reads the knowledge thresholds and refuses a suggestion threshold above the answer one", () => {
    expect(loadConfig({}).kbThresholds).toEqual({ answer: 0.82, suggest: 0.67 });
    expect(loadConfig({ KEFU_KB_ANSWER: "0.9", KEFU_KB_SUGGEST: "0.5" }).kbThresholds).toEqual({ answer: 0.9, suggest: 0.5 });
    expect(() => loadConfig({ KEFU_KB_ANSWER: "0.5", KEFU_KB_SUGGEST: "0.6" })).toThrow(/KEFU_KB_SUGGEST/);
    expect(() => loadConfig({ KEFU_KB_ANSWER: "1.5" })).toThrow(ConfigError);
  });

  it("reads the escalation policy, naming a channel that does not exist", () => {
    expect(loadConfig({}).escalation).toEqual({ anger: 0.5, anxiety: 0.7, repeats: 3 });
    expect(loadConfig({ KEFU_ESCALATE_ANGER: "0.6" }).escalation).toMatchObject({ anger: 0.6 });
  });

  it("reads service modes per channel, robot_first where not given", () => {
    expect(loadConfig({}).serviceModes).toEqual({ web: "robot_first", app: "robot_first", wechat: "robot_first", api: "robot_first" });
    expect(loadConfig({ KEFU_SERVICE_MODES: "app=human_first, wechat=human_only,api=robot_only" }).serviceModes).toEqual({
      web: "robot_first",
      app: "human_first",
      wechat: "human_only",
      api: "robot_only",
    });
    expect(() => loadConfig({ KEFU_SERVICE_MODES: "fax=human_first" })).toThrow(/KEFU_SERVICE_MODES/);
    expect(() => loadConfig({ KEFU_SERVICE_MODES: "web=robots" })).toThrow(/KEFU_SERVICE_MODES/);
  });

  it("reads the routing order and timeouts, and refuses unknown or repeated rules", () => {
    const routing = loadConfig({}).routing;
    expect(routing.order).toEqual(["dedicated", "returning", "channel", "region", "keyword", "behaviour", "priority", "load"]);
    expect(routing).toMatchObject({ returningDays: 7, acceptTimeoutSeconds: 30, presenceSeconds: 120 });
    expect(loadConfig({ KEFU_ROUTING_ORDER: "keyword,load", KEFU_ACCEPT_TIMEOUT_S: "45" }).routing).toMatchObject({ order: ["keyword", "load"], acceptTimeoutSeconds: 45 });
    expect(() => loadConfig({ KEFU_ROUTING_ORDER: "keyword,luck" })).toThrow(/KEFU_ROUTING_ORDER/);
    expect(() => loadConfig({ KEFU_ROUTING_ORDER: "load,load" })).toThrow(/only once/);
    expect(() => loadConfig({ KEFU_ACCEPT_TIMEOUT_S: "0" })).toThrow(/KEFU_ACCEPT_TIMEOUT_S/);
    expect(() => loadConfig({ KEFU_ESCALATE_REPEATS: "1" })).toThrow(/KEFU_ESCALATE_REPEATS/);
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://127.0.0.1:5432/test", DATABASE_SCHEMA: "shop_a" });
    expect(config.database).toMatchObject({ kind: "postgres", url: "postgres://127.0.0.1:5432/test", schema: "shop_a" });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).database.kind).toBe("pglite");
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ KEFU_ADMIN_KEY: "short" }, "KEFU_ADMIN_KEY"],
    [{ DATABASE_SCHEMA: "Robert'); drop table" }, "DATABASE_SCHEMA"],
  ])("rejects %o with a message naming %s", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("refuses to start in production without private secrets", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/KEFU_IDENTITY_SECRET[\s\S]*KEFU_ADMIN_KEY/);
    expect(() =>
      loadConfig({ NODE_ENV: "production", KEFU_IDENTITY_SECRET: DEV_IDENTITY_SECRET, KEFU_ADMIN_KEY: "a-real-admin-key-123" }),
    ).toThrow(/KEFU_IDENTITY_SECRET/);
  });

  it("starts in production with private secrets", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      KEFU_IDENTITY_SECRET: "a-private-identity-secret",
      KEFU_ADMIN_KEY: "a-private-admin-key-123",
    });
    expect(config.identitySecret).toBe("a-private-identity-secret");
  });
});
