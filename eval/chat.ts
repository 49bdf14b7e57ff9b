/**
 * npm run chat -- CUSTOMER|- "message" "/payload" ...
 *
 * Plays one conversation against a fresh in-memory demo shop with the committed model and prints
 * every reply, the intent and the form state: for trying a scenario or writing a story.
 * CUSTOMER is a demo customer id (c-1001 ... c-1007) or - for an anonymous visitor.
 */
import { postMessage, startConversation } from "../src/dialogue/conversations.js";
import { plainText, type Reply } from "../src/dialogue/replies.js";
import { openDemoApp } from "./lib/demo-app.js";
import { signCustomerId } from "../src/identity/customer-token.js";
import { createLogger } from "../src/shared/logger.js";
import { DEMO_NOW } from "../src/shop/demo/generate.js";

const SECRET = "chat-identity-secret";
const [customer, ...messages] = process.argv.slice(2);
if (!customer) {
  console.error('usage: npm run chat -- c-1001|- "我的快递到哪了" "第二个" ...');
  process.exit(2);
}
const log = createLogger("warn");
const { database, language, core, close } = await openDemoApp({ log, identitySecret: SECRET, name: "chat" });
const deps = { engine: language.dialogue, parse: (t: string, now: Date) => language.nlu.pipeline.parse(t, now), identitySecret: SECRET, routing: core.routing };
const ctx = { actor: { kind: "system" as const }, db: database.db, log, clock: { now: () => DEMO_NOW } };

const show = (replies: Reply[]) => replies.map((r) => plainText(r, { payloads: true })).join("\n     ");

const started = await startConversation(ctx, deps, customer === "-" ? {} : { customerId: customer, customerToken: signCustomerId(SECRET, customer) });
console.log(`BOT  ${show(started.replies)}`);
for (const m of messages) {
  const r = await postMessage(ctx, deps, started.id, m.startsWith("/") ? { payload: m } : { text: m });
  console.log(`\nUSER ${m}   [${r.nlu ? `${r.nlu.intent.name} ${r.nlu.intent.confidence}` : "payload"}]`);
  console.log(`BOT  ${show(r.replies)}`);
  console.log(`     state ${JSON.stringify(r.state)}`);
}
await close();
