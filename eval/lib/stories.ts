/**
 * Conversation stories: scripted shopper turns with what the bot must understand, say and do,
 * and what must have changed in the shop's database afterwards. Run by `npm run eval:dialogue`
 * (pass rate per scenario) and by the test suite (one test per story).
 *
 * Placeholders, resolved against the fresh demo shop before the story runs:
 *   {{order c-1001 shipped}}       the customer's newest order in that status (any = any status)
 *   {{order c-1001 shipped 1}}     the second newest
 *   {{order c-1001 any with p-bte7}} the newest order containing that product
 *   {{phone4 c-1001}}              the last four digits of the customer's phone
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { sql } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { queryRows, type Database } from "../../src/db/client.js";
import { replayConversation } from "../../src/dialogue/conversations.js";
import { plainText, REPLY_TYPES, type Reply } from "../../src/dialogue/replies.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { createLogger } from "../../src/shared/logger.js";

const Expect = z
  .object({
    intent: z.string().optional(),
    form: z.string().nullable().optional(),
    slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    /** The reply types, in order. */
    replies: z.array(z.enum(REPLY_TYPES)).optional(),
    says: z.union([z.string(), z.array(z.string())]).optional(),
    notSays: z.union([z.string(), z.array(z.string())]).optional(),
    mode: z.enum(["bot", "queued", "agent", "closed"]).optional(),
    action: z.string().nullable().optional(),
  })
  .strict();

const Turn = z
  .object({ user: z.string().optional(), payload: z.string().optional(), expect: Expect.optional() })
  .strict()
  .refine((t) => (t.user === undefined) !== (t.payload === undefined), "a turn has either user or payload");

const Story = z
  .object({
    name: z.string(),
    /** The scenario (or behaviour) this story counts towards in the report. */
    scenario: z.string(),
    customer: z.string().optional(),
    channel: z.enum(["web", "app", "wechat", "api"]).optional(),
    context: z.object({ page: z.string().optional(), productId: z.string().optional(), orderId: z.string().optional() }).optional(),
    welcome: Expect.optional(),
    turns: z.array(Turn).min(1),
    effects: z.array(z.object({ sql: z.string(), rows: z.array(z.record(z.string(), z.unknown())) }).strict()).optional(),
  })
  .strict();

export type Story = z.infer<typeof Story> & { file: string };
type ExpectSpec = z.infer<typeof Expect>;

export async function loadStories(dir: string): Promise<Story[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const stories: Story[] = [];
  for (const file of files) {
    const parsed = z.array(Story).safeParse(parseYaml(await readFile(join(dir, file), "utf8")));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    for (const s of parsed.data) stories.push({ ...s, file });
  }
  const names = new Set<string>();
  for (const s of stories) {
    if (names.has(s.name)) throw new Error(`two stories are named "${s.name}"`);
    names.add(s.name);
  }
  return stories;
}

interface AppLike {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

export interface StoryResult {
  story: Story;
  ok: boolean;
  failures: string[];
}

async function resolvePlaceholders(db: Database, raw: string): Promise<string> {
  const found = [...raw.matchAll(/\{\{([^}]+)\}\}/g)];
  let out = raw;
  for (const [whole, inner] of found) {
    const parts = inner!.trim().split(/\s+/);
    let value: string | undefined;
    if (parts[0] === "order") {
      const [, customer, status, third, product] = parts;
      const index = third && third !== "with" ? Number(third) : 0;
      const withProduct = third === "with" ? product : parts[4] === "with" ? parts[5] : undefined;
      const rows = await queryRows<{ id: string }>(
        db.db,
        sql`select o.id from orders o where o.customer_id = ${customer}
            and (${status} = 'any' or o.status = ${status})
            and (${withProduct ?? null}::text is null or exists (select 1 from order_items i where i.order_id = o.id and i.product_id = ${withProduct ?? null}))
            order by o.created_at desc offset ${index} limit 1`,
      );
      value = rows[0]?.id;
    } else if (parts[0] === "phone4") {
      const rows = await queryRows<{ phone: string }>(db.db, sql`select phone from customers where id = ${parts[1]}`);
      value = rows[0]?.phone.slice(-4);
    }
    if (value === undefined) throw new Error(`placeholder ${whole} matches nothing in the demo shop`);
    out = out.replace(whole, value);
  }
  return out;
}

async function resolveDeep<T>(db: Database, value: T): Promise<T> {
  return JSON.parse(await resolvePlaceholders(db, JSON.stringify(value))) as T;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const replyText = (replies: Reply[]) => replies.map((r) => plainText(r)).join("\n");

interface TurnBody {
  replies: Reply[];
  nlu: { intent: { name: string } } | null;
  state: { mode: string; form?: string; slots?: Record<string, unknown> };
}

function check(where: string, expect: ExpectSpec | undefined, body: TurnBody, action: string | null | undefined): string[] {
  if (!expect) return [];
  const failures: string[] = [];
  const said = replyText(body.replies);
  const shown = `bot said: ${JSON.stringify(said.slice(0, 300))}`;
  if (expect.intent !== undefined && body.nlu?.intent.name !== expect.intent) failures.push(`${where}: intent ${body.nlu?.intent.name}, expected ${expect.intent}`);
  if (expect.form !== undefined && (body.state.form ?? null) !== expect.form) failures.push(`${where}: form ${body.state.form ?? null}, expected ${expect.form}; ${shown}`);
  for (const [k, v] of Object.entries(expect.slots ?? {})) {
    if (body.state.slots?.[k] !== v) failures.push(`${where}: slot ${k} = ${JSON.stringify(body.state.slots?.[k])}, expected ${JSON.stringify(v)}`);
  }
  if (expect.replies && !isDeepStrictEqual(body.replies.map((r) => r.type), expect.replies)) {
    failures.push(`${where}: replies [${body.replies.map((r) => r.type).join(", ")}], expected [${expect.replies.join(", ")}]; ${shown}`);
  }
  for (const s of asList(expect.says)) if (!said.includes(s)) failures.push(`${where}: reply does not say "${s}"; ${shown}`);
  for (const s of asList(expect.notSays)) if (said.includes(s)) failures.push(`${where}: reply says "${s}" but must not; ${shown}`);
  if (expect.mode !== undefined && body.state.mode !== expect.mode) failures.push(`${where}: mode ${body.state.mode}, expected ${expect.mode}`);
  if (expect.action !== undefined && action !== expect.action) failures.push(`${where}: action ${action}, expected ${expect.action}`);
  return failures;
}

/** Plays one story against an app over a freshly seeded database. */
export async function runStory(app: AppLike, database: Database, raw: Story, identitySecret: string): Promise<StoryResult> {
  const failures: string[] = [];
  const story = await resolveDeep(database, raw);
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const start = await app.request(
    "/v1/conversations",
    json({
      ...(story.customer ? { customerId: story.customer, customerToken: signCustomerId(identitySecret, story.customer) } : {}),
      ...(story.channel ? { channel: story.channel } : {}),
      ...(story.context ? { context: story.context } : {}),
    }),
  );
  if (start.status !== 201) return { story: raw, ok: false, failures: [`start: HTTP ${start.status} ${await start.text()}`] };
  const started = (await start.json()) as { id: string } & TurnBody;
  failures.push(...check("welcome", story.welcome, { ...started, nlu: null }, undefined));

  for (const [i, turn] of story.turns.entries()) {
    const res = await app.request(`/v1/conversations/${started.id}/messages`, json(turn.user !== undefined ? { text: turn.user } : { payload: turn.payload }));
    const where = `turn ${i + 1} (${turn.user ?? turn.payload})`;
    if (res.status !== 200) {
      failures.push(`${where}: HTTP ${res.status} ${await res.text()}`);
      break;
    }
    const body = (await res.json()) as TurnBody;
    let action: string | null | undefined;
    if (turn.expect?.action !== undefined) {
      const transcript = (await (await app.request(`/v1/conversations/${started.id}`)).json()) as { messages: { trace?: { action: string | null } }[] };
      action = transcript.messages.at(-1)?.trace?.action ?? null;
    }
    failures.push(...check(where, turn.expect, body, action));
  }

  for (const effect of story.effects ?? []) {
    const rows = await queryRows<Record<string, unknown>>(database.db, sql.raw(effect.sql));
    const normalised = JSON.parse(JSON.stringify(rows)) as unknown;
    if (!isDeepStrictEqual(normalised, effect.rows)) failures.push(`effect ${effect.sql}: got ${JSON.stringify(normalised)}, expected ${JSON.stringify(effect.rows)}`);
  }

  // The stored snapshot must be exactly what replaying the stored events gives.
  const ctx = { actor: { kind: "system" as const }, db: database.db, log: createLogger("silent"), clock: { now: () => new Date() } };
  const replayed = await replayConversation(ctx, started.id);
  const [snapshot] = await queryRows<{ state: unknown }>(database.db, sql`select state from conversations where id = ${started.id}`);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(replayed)), snapshot?.state)) failures.push("the state snapshot differs from the replay of the stored events");

  return { story: raw, ok: failures.length === 0, failures };
}
