/**
 * `npm run kb:export [-- --out DIR]`: writes the knowledge entries of the configured database back to
 * YAML files (one per source file, or per category for entries created through the admin API), so
 * edits made while the service ran can be reviewed and committed. Default DIR: <KEFU_KNOWLEDGE_DIR>/faq.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { loadConfig } from "../config/env.js";
import { systemClock } from "../context.js";
import { openDatabase } from "../db/client.js";
import { entriesByFile } from "../kb/store.js";
import { createLogger } from "../shared/logger.js";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const config = loadConfig(process.env);
const out = values.out ?? join(config.knowledgeDir, "faq");
const database = await openDatabase(config.database);
try {
  await database.migrate();
  const files = await entriesByFile({ actor: { kind: "system" }, db: database.db, log: createLogger("warn"), clock: systemClock });
  await mkdir(out, { recursive: true });
  for (const [file, entries] of files) {
    const header = "# Exported by `npm run kb:export` from the knowledge base; edit here or through the admin API.\n";
    await writeFile(join(out, file), header + stringify(entries, { lineWidth: 0 }));
  }
  console.log(`exported ${[...files.values()].reduce((n, e) => n + e.length, 0)} entries to ${files.size} files in ${out}`);
} catch (err) {
  console.error(`export failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
