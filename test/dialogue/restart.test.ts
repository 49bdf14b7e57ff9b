/** A restart, or a second server process, continues a conversation where it stopped. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type DatabaseOptions } from "../../src/db/client.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import type { LanguageServices } from "../../src/services.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { buildTestApp, buildTestLanguage, TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";

interface Target {
  name: string;
  options(): Promise<DatabaseOptions>;
  cleanup(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const targets: Target[] = [
  (() => {
    let dir = "";
    return {
      name: "pglite on disk",
      async options() {
        dir ||= await mkdtemp(join(tmpdir(), "kefu-restart-"));
        return { kind: "pglite" as const, dataDir: dir };
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  })(),
  ...(TEST_DATABASE_URL
    ? [
        (() => {
          const schema = uniqueSchema();
          return {
            name: "postgres",
            options: async () => ({ kind: "postgres" as const, url: TEST_DATABASE_URL!, schema, poolMax: 2 }),
            cleanup: () => dropSchema(TEST_DATABASE_URL!, schema),
          };
        })(),
      ]
    : []),
];

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.each(targets)("restart mid-form on $name", (target) => {
  it("continues the return form after the first process is gone", async () => {
    cleanups.push(target.cleanup);
    let language: LanguageServices | undefined;
    let first: Database | undefined = await openDatabase(await target.options());
    try {
      await first.migrate();
      await seedDemoShop(first.db);
      language = await buildTestLanguage(first);
      const app = await buildTestApp(first, language);
      const started = await app.request(
        "/v1/conversations",
        post({ customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1001") }),
      );
      const { id } = (await started.json()) as { id: string };
      const asked = (await (await app.request(`/v1/conversations/${id}/messages`, post({ text: "我要退货" }))).json()) as {
        replies: { type: string; orders?: { id: string }[] }[];
      };
      const second = asked.replies[0]!.orders![1]!.id;
      await first.close();
      first = undefined;

      // A new process: new connections, new app, same database.
      const again = await openDatabase(await target.options());
      try {
        await again.migrate();
        const app2 = await buildTestApp(again, language);
        const res = await app2.request(`/v1/conversations/${id}/messages`, post({ text: "第二个" }));
        expect(res.status).toBe(200);
        const turn = (await res.json()) as { state: { form?: string; slots?: Record<string, unknown> } };
        expect(turn.state.form).toBe("return_refund");
        expect(turn.state.slots?.order).toBe(second);
      } finally {
        await again.close();
      }
    } finally {
      language?.close();
      await first?.close();
    }
  });
});
