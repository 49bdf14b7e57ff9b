/** `npm run seed [-- --reset]`: loads the demo shop into the configured database. */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/env.js";
import { openDatabase } from "../db/client.js";
import { seedDemoShop } from "../shop/demo/seed.js";

const { values } = parseArgs({ options: { reset: { type: "boolean", default: false } } });
const config = loadConfig(process.env);
const database = await openDatabase(config.database);
try {
  await database.migrate();
  const counts = await seedDemoShop(database.db, { reset: values.reset });
  console.log(`demo shop loaded into ${database.kind}:`, counts);
} catch (err) {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
