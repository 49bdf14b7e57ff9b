/** Builds the HTTP app over a test database, with a silent logger and a fixed clock. */
import { createApp } from "../../src/http/app.js";
import type { Database } from "../../src/db/client.js";
import { createLogger } from "../../src/shared/logger.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";

export const TEST_ADMIN_KEY = "test-admin-key-0123456789";
export const TEST_IDENTITY_SECRET = "test-identity-secret-0123456789";

export function buildTestApp(database: Database) {
  return createApp({
    database,
    log: createLogger("silent"),
    clock: { now: () => DEMO_NOW },
    adminKey: TEST_ADMIN_KEY,
    identitySecret: TEST_IDENTITY_SECRET,
    tfBackend: "cpu",
    version: "test",
  });
}

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
