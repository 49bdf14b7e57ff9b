/** Every conversation story in eval/conversations, each on a freshly re-seeded demo shop. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { loadStories, runStory } from "../../eval/lib/stories.js";
import { buildTestApp, TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const stories = await loadStories("eval/conversations");

describe("conversation stories", () => {
  let database: Database;
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    database = await testDrivers[0]!.open();
    await seedDemoShop(database.db);
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.each(stories.map((s) => [`${s.scenario}: ${s.name}`, s] as const))("%s", async (_, story) => {
    await seedDemoShop(database.db, { reset: true });
    const result = await runStory(app, database, story, TEST_IDENTITY_SECRET);
    expect(result.failures).toEqual([]);
  });
});
