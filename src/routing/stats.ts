/**
 * The service numbers a shop watches, for a time range (conversations by when they started):
 * how many the bot solved alone, how many went to a person and why, how long shoppers waited,
 * how fast agents answered, satisfaction per agent, and how many questions went unanswered.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { queryRows } from "../db/client.js";

export interface ServiceStats {
  from: string;
  to: string;
  conversations: number;
  /** Share of conversations the bot finished alone: no hand-over, no ticket for a person, last question answered. */
  botResolvedRate: number;
  /** Share of conversations handed to a person, and the hand-overs by reason. */
  transferRate: number;
  transferReasons: Record<string, number>;
  handoffs: { total: number; accepted: number; abandoned: number; waiting: number };
  /** Seconds from the hand-over to an agent accepting it. */
  wait: { average: number | null; p90: number | null };
  /** Seconds from accepting to the agent's first message. */
  firstResponse: { average: number | null; p90: number | null };
  csat: { ratings: number; average: number | null; satisfiedRate: number | null; perAgent: { agentId: string; name: string; ratings: number; average: number; satisfiedRate: number }[] };
  unanswered: number;
  tickets: { opened: number; solved: number; overdue: number };
}

const round = (v: number | null, digits = 1) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);

export async function serviceStats(ctx: ServiceContext, range: { from: Date; to: Date }): Promise<ServiceStats> {
  const { from, to } = range;
  const [conv] = await queryRows<{ total: number; handed: number; resolved: number }>(
    ctx.db,
    sql`with c as (
          select c.id,
                 exists (select 1 from handoffs h where h.conversation_id = c.id) as handed,
                 exists (select 1 from conversation_events e where e.conversation_id = c.id and e.type = 'TicketRequested') as ticket,
                 (select max(m.seq) from messages m where m.conversation_id = c.id and m.role = 'user') as last_user
          from conversations c where c.created_at >= ${from} and c.created_at < ${to})
        select count(*) filter (where last_user is not null)::int as total,
               count(*) filter (where last_user is not null and handed)::int as handed,
               count(*) filter (where last_user is not null and not handed and not ticket
                 and not exists (select 1 from unanswered_questions u where u.conversation_id = c.id and u.message_seq = c.last_user))::int as resolved
        from c`,
  );
  const reasons = await queryRows<{ reason: string; n: number }>(
    ctx.db,
    sql`select h.reason, count(*)::int as n from handoffs h join conversations c on c.id = h.conversation_id
        where c.created_at >= ${from} and c.created_at < ${to} group by h.reason order by n desc`,
  );
  const [handoffs] = await queryRows<{ total: number; accepted: number; abandoned: number; waiting: number; wait_avg: number | null; wait_p90: number | null; fr_avg: number | null; fr_p90: number | null }>(
    ctx.db,
    sql`with h as (
          select h.*, extract(epoch from h.accepted_at - h.requested_at)::float as wait, extract(epoch from h.first_response_at - h.accepted_at)::float as fr
          from handoffs h where h.requested_at >= ${from} and h.requested_at < ${to})
        select count(*)::int as total, count(accepted_at)::int as accepted,
               count(*) filter (where status = 'abandoned')::int as abandoned,
               count(*) filter (where status in ('waiting', 'offered'))::int as waiting,
               avg(wait) as wait_avg, percentile_cont(0.9) within group (order by wait) as wait_p90,
               avg(fr) as fr_avg, percentile_cont(0.9) within group (order by fr) as fr_p90
        from h`,
  );
  const perAgent = await queryRows<{ agent_id: string; name: string; ratings: number; average: number; satisfied: number }>(
    ctx.db,
    sql`select r.agent_id, a.name, count(*)::int as ratings, avg(r.score)::float as average, count(*) filter (where r.score >= 4)::int as satisfied
        from ratings r join agents a on a.id = r.agent_id
        where r.created_at >= ${from} and r.created_at < ${to} group by r.agent_id, a.name order by a.name`,
  );
  const [all] = await queryRows<{ ratings: number; average: number | null; satisfied: number }>(
    ctx.db,
    sql`select count(*)::int as ratings, avg(score)::float as average, count(*) filter (where score >= 4)::int as satisfied
        from ratings where created_at >= ${from} and created_at < ${to}`,
  );
  const [unanswered] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from unanswered_questions where created_at >= ${from} and created_at < ${to}`);
  const [tickets] = await queryRows<{ opened: number; solved: number; overdue: number }>(
    ctx.db,
    sql`select count(*) filter (where created_at >= ${from} and created_at < ${to})::int as opened,
               count(*) filter (where solved_at >= ${from} and solved_at < ${to})::int as solved,
               count(*) filter (where created_at >= ${from} and created_at < ${to} and coalesce(solved_at, ${to}) > due_at)::int as overdue
        from tickets`,
  );
  const total = conv?.total ?? 0;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    conversations: total,
    botResolvedRate: share(conv?.resolved ?? 0, total),
    transferRate: share(conv?.handed ?? 0, total),
    transferReasons: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    handoffs: { total: handoffs?.total ?? 0, accepted: handoffs?.accepted ?? 0, abandoned: handoffs?.abandoned ?? 0, waiting: handoffs?.waiting ?? 0 },
    wait: { average: round(handoffs?.wait_avg ?? null), p90: round(handoffs?.wait_p90 ?? null) },
    firstResponse: { average: round(handoffs?.fr_avg ?? null), p90: round(handoffs?.fr_p90 ?? null) },
    csat: {
      ratings: all?.ratings ?? 0,
      average: round(all?.average ?? null, 2),
      satisfiedRate: all?.ratings ? share(all.satisfied, all.ratings) : null,
      perAgent: perAgent.map((a) => ({ agentId: a.agent_id, name: a.name, ratings: a.ratings, average: round(a.average, 2)!, satisfiedRate: share(a.satisfied, a.ratings) })),
    },
    unanswered: unanswered?.n ?? 0,
    tickets: { opened: tickets?.opened ?? 0, solved: tickets?.solved ?? 0, overdue: tickets?.overdue ?? 0 },
  };
}
