/**
 * The shop's routing setup as maintainers write it (knowledge/routing.yaml: groups, behaviour rules,
 * VIP group, ticket SLAs and automation) and the canned replies agents send (knowledge/canned-replies.yaml).
 * Both are read once at start-up; a broken file stops the service with the file and the field named,
 * because routing without its rules would send conversations to the wrong people.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, type TicketType } from "../db/schema.js";
import type { BehaviourRule, GroupRule, RoutingRules } from "./rules.js";

const id = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, "must be a lower_snake_case id");
const words = z.array(z.coerce.string().min(1)).default([]);
const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const AutomationRule = z
  .object({
    name: z.string().min(1).max(60),
    when: z
      .object({
        status: oneOrMany(z.enum(TICKET_STATUSES)).optional(),
        type: oneOrMany(z.enum(TICKET_TYPES)).optional(),
        hoursInStatus: z.number().min(0).optional(),
        overdue: z.boolean().optional(),
      })
      .strict(),
    then: z
      .object({
        escalate: z.boolean().optional(),
        priority: z.enum(TICKET_PRIORITIES).optional(),
        group: id.optional(),
        status: z.enum(TICKET_STATUSES).optional(),
        comment: z.string().min(1).max(500).optional(),
      })
      .strict()
      .refine((t) => Object.keys(t).length > 0, "then needs at least one action"),
  })
  .strict();
export type AutomationRule = z.infer<typeof AutomationRule>;

const RoutingFile = z
  .object({
    groups: z
      .array(z.object({ id, name: z.string().min(1).max(30), intents: words, keywords: words, reasons: words }).strict())
      .default([]),
    behaviour: z
      .array(
        z
          .object({
            page: z
              .string()
              .refine((p) => {
                try {
                  new RegExp(p, "u");
                  return true;
                } catch {
                  return false;
                }
              }, "page must be a regular expression")
              .optional(),
            minVisitMinutes: z.number().min(0).optional(),
            group: id,
          })
          .strict()
          .refine((b) => b.page !== undefined || b.minVisitMinutes !== undefined, "a behaviour rule needs page or minVisitMinutes"),
      )
      .default([]),
    vip: z.object({ group: id, minLevel: z.number().int().min(1).max(3) }).strict().optional(),
    ticketSla: z.partialRecord(z.enum(TICKET_TYPES), z.number().positive()).default({}),
    ticketAutomation: z.array(AutomationRule).default([]),
  })
  .strict();

export interface RoutingSetup {
  rules: Omit<RoutingRules, "order" | "returningDays">;
  /** Hours to solve a ticket, by type. */
  ticketSlaHours: Record<TicketType, number>;
  automation: AutomationRule[];
}

const DEFAULT_SLA_HOURS = 72;

export const EMPTY_SETUP: RoutingSetup = {
  rules: { groups: [], behaviour: [], vipGroup: null, vipMinLevel: 1 },
  ticketSlaHours: Object.fromEntries(TICKET_TYPES.map((t) => [t, DEFAULT_SLA_HOURS])) as Record<TicketType, number>,
  automation: [],
};

const describe = (path: string, error: z.ZodError) => `${path}: ${error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ")}`;

async function readYaml(path: string): Promise<unknown | null> {
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err)));
  if (text === null) return null;
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Reads knowledge/routing.yaml; without the file, routing uses no groups (least-loaded agent). */
export async function readRoutingSetup(knowledgeDir: string): Promise<RoutingSetup> {
  const path = join(knowledgeDir, "routing.yaml");
  const raw = await readYaml(path);
  if (raw === null) return EMPTY_SETUP;
  const parsed = RoutingFile.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(describe(path, parsed.error));
  const f = parsed.data;
  const groups: GroupRule[] = f.groups.map((g) => ({ ...g }));
  const behaviour: BehaviourRule[] = f.behaviour.map((b) => ({
    group: b.group,
    ...(b.page !== undefined ? { page: new RegExp(b.page, "u") } : {}),
    ...(b.minVisitMinutes !== undefined ? { minVisitMinutes: b.minVisitMinutes } : {}),
  }));
  return {
    rules: { groups, behaviour, vipGroup: f.vip?.group ?? null, vipMinLevel: f.vip?.minLevel ?? 1 },
    ticketSlaHours: { ...EMPTY_SETUP.ticketSlaHours, ...f.ticketSla },
    automation: f.ticketAutomation,
  };
}

const CannedFile = z.array(z.object({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case"), title: z.string().min(1).max(30), text: z.string().min(1).max(1000) }).strict());
export type CannedReply = z.infer<typeof CannedFile>[number];

/** Reads knowledge/canned-replies.yaml (none when the file is missing). */
export async function readCannedReplies(knowledgeDir: string): Promise<CannedReply[]> {
  const path = join(knowledgeDir, "canned-replies.yaml");
  const raw = await readYaml(path);
  if (raw === null) return [];
  const parsed = CannedFile.safeParse(raw);
  if (!parsed.success) throw new Error(describe(path, parsed.error));
  const seen = new Set<string>();
  for (const c of parsed.data) {
    if (seen.has(c.id)) throw new Error(`${path}: id ${c.id} is used twice`);
    seen.add(c.id);
  }
  return parsed.data;
}
