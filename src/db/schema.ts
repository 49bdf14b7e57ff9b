/**
 * The one drizzle schema, shared by the embedded (PGlite) and server (pg) drivers.
 * Money is stored as integer fen; timestamps with time zone.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export interface PostalAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface SizeChartRowJson {
  size: string;
  heightCm?: [number, number];
  weightKg?: [number, number];
  footLengthMm?: [number, number];
  measurements?: Record<string, number>;
}

export const customers = pgTable("customers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  phone: text("phone").notNull(),
  email: text("email"),
  /** 0 = regular; 1..3 = VIP levels (3 = highest). */
  vipLevel: integer("vip_level").notNull().default(0),
  /** Province-level region, e.g. 上海 or 广东. */
  region: text("region").notNull(),
  city: text("city").notNull(),
  defaultAddress: jsonb("default_address").$type<PostalAddress>().notNull(),
  /** The agent who served this customer last, and when (熟客 routing). */
  lastAgentId: text("last_agent_id"),
  lastServedAt: timestamp("last_served_at", { withTimezone: true }),
  /** A dedicated agent (专属客服) who gets this customer first whenever they can. */
  dedicatedAgentId: text("dedicated_agent_id"),
  createdAt: createdAt(),
});

export const products = pgTable("products", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  brand: text("brand").notNull(),
  category: text("category").notNull(),
  modelCodes: jsonb("model_codes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** What shoppers call the product (空气炸锅, 炸锅): for recognising it in messages. */
  aliases: jsonb("aliases").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  priceFen: integer("price_fen").notNull(),
  specs: jsonb("specs").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  usageNotes: text("usage_notes").notNull().default(""),
  sizeChart: jsonb("size_chart").$type<SizeChartRowJson[]>(),
  warrantyMonths: integer("warranty_months").notNull().default(0),
  noReasonReturn: boolean("no_reason_return").notNull().default(true),
  tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  imageUrl: text("image_url").notNull(),
  createdAt: createdAt(),
});

export const productVariants = pgTable(
  "product_variants",
  {
    sku: text("sku").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    color: text("color"),
    size: text("size"),
    stock: integer("stock").notNull().default(0),
  },
  (t) => [index("product_variants_product_idx").on(t.productId)],
);

export const ORDER_STATUSES = [
  "unpaid",
  "paid",
  "shipped",
  "delivered",
  "return_requested",
  "refunding",
  "refunded",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_METHODS = ["alipay", "wechat_pay", "bank_card", "huabei"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const orders = pgTable(
  "orders",
  {
    /** The 16-digit order number shoppers see and type. */
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    status: text("status").$type<OrderStatus>().notNull(),
    itemsFen: integer("items_fen").notNull(),
    shippingFen: integer("shipping_fen").notNull().default(0),
    discountFen: integer("discount_fen").notNull().default(0),
    totalFen: integer("total_fen").notNull(),
    paymentMethod: text("payment_method").$type<PaymentMethod>(),
    address: jsonb("address").$type<PostalAddress>().notNull(),
    note: text("note"),
    createdAt: createdAt(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [index("orders_customer_idx").on(t.customerId, t.createdAt)],
);

export const orderItems = pgTable(
  "order_items",
  {
    id: serial("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    sku: text("sku").notNull(),
    /** Snapshot of the product name at purchase time. */
    name: text("name").notNull(),
    color: text("color"),
    size: text("size"),
    quantity: integer("quantity").notNull(),
    unitPriceFen: integer("unit_price_fen").notNull(),
  },
  (t) => [index("order_items_order_idx").on(t.orderId)],
);

export const SHIPMENT_STATUSES = ["in_transit", "out_for_delivery", "delivered", "returned"] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const shipments = pgTable(
  "shipments",
  {
    id: serial("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    status: text("status").$type<ShipmentStatus>().notNull(),
    shippedAt: timestamp("shipped_at", { withTimezone: true }).notNull(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("shipments_order_idx").on(t.orderId),
    uniqueIndex("shipments_tracking_idx").on(t.trackingNumber),
  ],
);

export const shipmentEvents = pgTable(
  "shipment_events",
  {
    id: serial("id").primaryKey(),
    shipmentId: integer("shipment_id")
      .notNull()
      .references(() => shipments.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    location: text("location").notNull(),
    description: text("description").notNull(),
  },
  (t) => [index("shipment_events_shipment_idx").on(t.shipmentId, t.at)],
);

export const REFUND_STATUSES = [
  "requested",
  "approved",
  "returning",
  "refunding",
  "refunded",
  "rejected",
  "cancelled",
] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A refund, with or without a return of goods (退货退款 / 仅退款). */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    orderItemId: integer("order_item_id").references(() => orderItems.id),
    kind: text("kind").$type<"refund_only" | "return_refund">().notNull(),
    status: text("status").$type<RefundStatus>().notNull(),
    reason: text("reason").notNull(),
    amountFen: integer("amount_fen").notNull(),
    returnCarrier: text("return_carrier"),
    returnTrackingNumber: text("return_tracking_number"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
  },
  (t) => [index("refunds_order_idx").on(t.orderId)],
);

export const CHANNELS = ["web", "app", "wechat", "api"] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONVERSATION_MODES = ["bot", "queued", "agent", "closed"] as const;
export type ConversationMode = (typeof CONVERSATION_MODES)[number];

export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").references(() => customers.id),
    channel: text("channel").$type<Channel>().notNull(),
    mode: text("mode").$type<ConversationMode>().notNull().default("bot"),
    /** Page, product and order context the widget opened with. */
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** The dialogue state derived from the events so far (a snapshot, rebuilt by replaying them). */
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** The highest message seq written, and the highest user message seq the bot has answered. */
    lastSeq: integer("last_seq").notNull().default(0),
    handledSeq: integer("handled_seq").notNull().default(0),
    lastEventSeq: integer("last_event_seq").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [index("conversations_customer_idx").on(t.customerId, t.createdAt)],
);

export const MESSAGE_ROLES = ["user", "bot", "agent", "system"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** Every turn of a conversation, in order; `seq` is dense per conversation. */
export const messages = pgTable(
  "messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    role: text("role").$type<MessageRole>().notNull(),
    /** The shopper's text, or the structured replies the bot/agent sent. */
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    /** For a bot message: the seq of the user message it answers. */
    replyTo: integer("reply_to"),
    /** The client's id for a shopper message: the same id sent again is the same message (a resend). */
    clientId: text("client_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_conversation_seq_idx").on(t.conversationId, t.seq),
    uniqueIndex("messages_client_id_idx").on(t.conversationId, t.clientId).where(sql`client_id is not null`),
  ],
);

/** What happened in a conversation (IntentDetected, SlotSet, FormCompleted, HandoffRequested ...), in order. */
export const conversationEvents = pgTable(
  "conversation_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("conversation_events_seq_idx").on(t.conversationId, t.seq)],
);

export const INVOICE_TITLE_TYPES = ["personal", "company"] as const;
export type InvoiceTitleType = (typeof INVOICE_TITLE_TYPES)[number];

/** Electronic invoices shoppers request for an order. */
export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    titleType: text("title_type").$type<InvoiceTitleType>().notNull(),
    title: text("title").notNull(),
    taxId: text("tax_id"),
    amountFen: integer("amount_fen").notNull(),
    status: text("status").$type<"requested" | "issued">().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("invoices_order_idx").on(t.orderId)],
);

export const CASE_KINDS = ["damaged", "missing_item", "wrong_item", "exchange", "repair", "complaint"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** After-sales records the bot opens for the shop's staff: delivery problems, exchanges, repairs, complaints. */
export const serviceCases = pgTable(
  "service_cases",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<CaseKind>().notNull(),
    customerId: text("customer_id").references(() => customers.id),
    orderId: text("order_id").references(() => orders.id, { onDelete: "cascade" }),
    orderItemId: integer("order_item_id").references(() => orderItems.id),
    status: text("status").$type<"open" | "in_progress" | "closed">().notNull(),
    description: text("description").notNull(),
    /** Kind-specific facts, e.g. {fromSku, toSku} for an exchange. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    conversationId: text("conversation_id"),
    createdAt: createdAt(),
  },
  (t) => [index("service_cases_order_idx").on(t.orderId), index("service_cases_customer_idx").on(t.customerId)],
);

/**
 * Shop promotions. `threshold`: minus discountFen when the qualifying amount reaches minSpendFen (满减);
 * `percent`: percentOff on qualifying items; either limited to a category and to a VIP level.
 */
export const promotions = pgTable("promotions", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  kind: text("kind").$type<"threshold" | "percent">().notNull(),
  category: text("category"),
  minSpendFen: integer("min_spend_fen").notNull().default(0),
  discountFen: integer("discount_fen").notNull().default(0),
  percentOff: integer("percent_off").notNull().default(0),
  minVipLevel: integer("min_vip_level").notNull().default(0),
  startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
  endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
});

/** What a customer has in the shopping cart. */
export const cartItems = pgTable(
  "cart_items",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    sku: text("sku")
      .notNull()
      .references(() => productVariants.sku, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.sku] })],
);

/** Knowledge entries: loaded from knowledge/faq at start-up, then edited through the admin API. */
export const kbEntries = pgTable("kb_entries", {
  id: text("id").primaryKey(),
  /** The entry as in the YAML files (question, similar, answer, quickReplies, link, category, tags, enabled, validUntil). */
  data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  version: integer("version").notNull(),
  /** Hash of the file version last loaded; a changed file replaces the entry at the next start. */
  sourceHash: text("source_hash"),
  sourceFile: text("source_file"),
  deleted: boolean("deleted").notNull().default(false),
  updatedBy: text("updated_by").notNull(),
  updatedAt: updatedAt(),
});

/** Every version of every entry: who changed what, when. */
export const kbEntryVersions = pgTable(
  "kb_entry_versions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    entryId: text("entry_id").notNull(),
    version: integer("version").notNull(),
    action: text("action").$type<"create" | "update" | "delete" | "load">().notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    changedBy: text("changed_by").notNull(),
    changedAt: createdAt(),
  },
  (t) => [uniqueIndex("kb_entry_versions_idx").on(t.entryId, t.version)],
);

/** Shopper messages the bot could not handle: no scenario, no knowledge match, or an answer marked unhelpful. */
export const unansweredQuestions = pgTable(
  "unanswered_questions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    messageSeq: integer("message_seq"),
    text: text("text").notNull(),
    normalized: text("normalized").notNull(),
    reason: text("reason").$type<"no_match" | "unhelpful" | "not_understood">().notNull(),
    /** The best knowledge candidates and the intent ranking the bot had. */
    candidates: jsonb("candidates").$type<Record<string, unknown>[]>().notNull().default(sql`'[]'::jsonb`),
    /** The cluster of the last clustering run it was in (null: a singleton, or not clustered yet). */
    clusterId: bigint("cluster_id", { mode: "number" }),
    /** A maintainer dealt with it (made it an entry, attached it, mapped it to an intent, rejected it): never clustered again. */
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    reviewStatus: text("review_status").$type<"entry" | "attached" | "intent" | "rejected">(),
    createdAt: createdAt(),
  },
  (t) => [index("unanswered_created_idx").on(t.createdAt), index("unanswered_cluster_idx").on(t.clusterId), index("unanswered_open_idx").on(t.reviewedAt)],
);

/** Shoppers' feedback on knowledge answers. */
export const kbFeedback = pgTable(
  "kb_feedback",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    messageSeq: integer("message_seq").notNull(),
    entryId: text("entry_id").notNull(),
    helpful: boolean("helpful").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("kb_feedback_message_idx").on(t.conversationId, t.messageSeq)],
);

export const AGENT_STATUSES = ["online", "busy", "away", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** The shop's human agents. Only `online` agents get new conversations; `busy` keep theirs, get no new ones. */
export const agents = pgTable(
  "agents",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    name: text("name").notNull(),
    /** scrypt$N$r$p$salt$hash (base64). */
    passwordHash: text("password_hash").notNull(),
    /** Groups and skills: after_sale, pre_sale, vip, complaints ... */
    groups: jsonb("groups").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    maxConcurrent: integer("max_concurrent").notNull().default(5),
    status: text("status").$type<AgentStatus>().notNull().default("offline"),
    region: text("region"),
    /** Channels the agent serves; empty means all. */
    channels: jsonb("channels").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** agent: takes conversations; maintainer: reviews clusters and edits knowledge, takes no conversations. */
    role: text("role").$type<"agent" | "maintainer">().notNull().default("agent"),
    disabled: boolean("disabled").notNull().default(false),
    /** Last request or event-stream heartbeat; an agent silent for too long is taken offline. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("agents_username_idx").on(t.username)],
);

/** Agent log-ins: only a hash of the token is kept. */
export const agentSessions = pgTable(
  "agent_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("agent_sessions_agent_idx").on(t.agentId)],
);

export const HANDOFF_STATUSES = ["waiting", "offered", "active", "closed", "abandoned"] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * One hand-over of a conversation to a human, from the request to its end: waiting in the queue,
 * offered to an agent (who must accept in time), active with that agent, then closed or abandoned.
 */
export const handoffs = pgTable(
  "handoffs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    customerId: text("customer_id"),
    channel: text("channel").$type<Channel>().notNull(),
    status: text("status").$type<HandoffStatus>().notNull(),
    /** Why the bot handed over (requested, anger, complaint ...) and the agent's summary. */
    reason: text("reason").notNull(),
    summary: text("summary").notNull(),
    /** What routing looks at: the shopper's intent and last words, the page, the VIP level. */
    intent: text("intent"),
    lastText: text("last_text"),
    page: text("page"),
    vipLevel: integer("vip_level").notNull().default(0),
    /** A transfer to a group or a named agent: routing honours it before its own rules. */
    targetGroup: text("target_group"),
    targetAgentId: text("target_agent_id"),
    /** The group the last routing decision chose (the queue it waits in), null for anyone. */
    queueGroup: text("queue_group"),
    priority: integer("priority").notNull().default(0),
    agentId: text("agent_id").references(() => agents.id),
    /** The rule that decided the current assignment (or the wait), and why, in words. */
    rule: text("rule"),
    why: text("why"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    offeredAt: timestamp("offered_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** The seq of the shopper message that led to the hand-over: the first one the agent answers. */
    startSeq: integer("start_seq").notNull().default(0),
    /** The last message seq the agent has read (unread counts). */
    agentReadSeq: integer("agent_read_seq").notNull().default(0),
    /** The queue position the shopper was told last, so only changes are sent. */
    toldPosition: integer("told_position"),
    transferNote: text("transfer_note"),
    closeSummary: text("close_summary"),
  },
  (t) => [
    uniqueIndex("handoffs_open_conversation_idx").on(t.conversationId).where(sql`status in ('waiting', 'offered', 'active')`),
    index("handoffs_status_idx").on(t.status, t.priority, t.requestedAt),
    index("handoffs_agent_idx").on(t.agentId, t.status),
  ],
);

/** Every time a hand-over was given to an agent: which rule decided, why, and how it ended. */
export const assignments = pgTable(
  "assignments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    handoffId: bigint("handoff_id", { mode: "number" })
      .notNull()
      .references(() => handoffs.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    rule: text("rule").notNull(),
    why: text("why").notNull(),
    /** The agent's open conversations when this one was given, counted under the agent's row lock. */
    loadBefore: integer("load_before").notNull(),
    offeredAt: timestamp("offered_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    outcome: text("outcome").$type<"accepted" | "timeout" | "offline" | "away" | "transferred" | "closed" | "abandoned">(),
  },
  (t) => [index("assignments_handoff_idx").on(t.handoffId), index("assignments_agent_idx").on(t.agentId, t.offeredAt)],
);

/**
 * Events for the live streams (agent workbench, widget), kept so a reconnect with Last-Event-ID
 * gets what it missed. Addressed to a conversation, an agent, or both.
 */
export const realtimeEvents = pgTable(
  "realtime_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: text("conversation_id"),
    agentId: text("agent_id"),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("realtime_events_conversation_idx").on(t.conversationId, t.id), index("realtime_events_agent_idx").on(t.agentId, t.id)],
);

export const TICKET_STATUSES = ["new", "open", "pending", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_TYPES = ["return", "delivery", "complaint", "repair", "exchange", "other"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** After-sales tickets (工单): the staff's work on a return, a delivery problem or a complaint. */
export const tickets = pgTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    type: text("type").$type<TicketType>().notNull(),
    status: text("status").$type<TicketStatus>().notNull(),
    priority: text("priority").$type<TicketPriority>().notNull().default("normal"),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    customerId: text("customer_id").references(() => customers.id),
    orderId: text("order_id").references(() => orders.id, { onDelete: "set null" }),
    conversationId: text("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    /** The refund or after-sales case the ticket is about. */
    reference: text("reference"),
    assigneeId: text("assignee_id").references(() => agents.id),
    assignedGroup: text("assigned_group"),
    /** Who opened it: bot, agent:<id>, admin. */
    createdBy: text("created_by").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** How many times automation escalated it. */
    escalations: integer("escalations").notNull().default(0),
    /** Automation rules already applied in the current status: rule name -> status time it saw. */
    automation: jsonb("automation").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    solvedAt: timestamp("solved_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("tickets_status_idx").on(t.status, t.statusChangedAt),
    index("tickets_customer_idx").on(t.customerId),
    index("tickets_assignee_idx").on(t.assigneeId, t.status),
  ],
);

/** What happened to a ticket: comments and every change, with who did it. */
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"created" | "comment" | "status" | "assigned" | "priority" | "automation">().notNull(),
    author: text("author").notNull(),
    body: text("body").notNull().default(""),
    /** Shown to the shopper (a public comment or a status change), or internal. */
    public: boolean("public").notNull().default(false),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_events_ticket_idx").on(t.ticketId, t.id)],
);

/** The shopper's 1–5 rating of a closed conversation. */
export const ratings = pgTable("ratings", {
  conversationId: text("conversation_id")
    .primaryKey()
    .references(() => conversations.id, { onDelete: "cascade" }),
  agentId: text("agent_id").references(() => agents.id),
  score: integer("score").notNull(),
  comment: text("comment"),
  createdAt: createdAt(),
});

export const CLUSTER_STATUSES = ["open", "resolved", "rejected", "merged"] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** Groups of unanswered questions that mean the same thing, for maintainers to review once. */
export const questionClusters = pgTable(
  "question_clusters",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: bigint("run_id", { mode: "number" }),
    status: text("status").$type<ClusterStatus>().notNull().default("open"),
    label: text("label").notNull(),
    keywords: jsonb("keywords").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    representative: text("representative").notNull(),
    /** Distinct questions, and messages with duplicates. */
    size: integer("size").notNull(),
    messages: integer("messages").notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true }),
    lastSeen: timestamp("last_seen", { withTimezone: true }),
    /** Messages in the last 24 h and the 24 h before, and the growth between them. */
    trend: jsonb("trend").$type<{ recent: number; previous: number; growth: number | null }>().notNull(),
    cohesion: real("cohesion").notNull(),
    /** Up to 20 members: text, count, similarity to the centroid. */
    members: jsonb("members").$type<{ text: string; count: number; similarity: number }[]>().notNull(),
    /** The nearest knowledge entry or intent. */
    suggestion: jsonb("suggestion").$type<{ kind: "knowledge" | "intent"; id: string; score: number } | null>(),
    /** What the maintainer did: {action: entry|attach|intent|reject|merge, target, by}. */
    resolution: jsonb("resolution").$type<Record<string, unknown> | null>(),
    reviewedBy: text("reviewed_by"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("question_clusters_status_idx").on(t.status, t.messages)],
);

/** Normalised questions a maintainer rejected: never clustered (or shown) again. */
export const rejectedQuestions = pgTable("rejected_questions", {
  key: text("key").primaryKey(),
  clusterId: bigint("cluster_id", { mode: "number" }),
  rejectedBy: text("rejected_by").notNull(),
  createdAt: createdAt(),
});

export const JOB_STATUSES = ["queued", "running", "done", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Clustering runs: a job queue in the database (any process may take a queued run), with progress. */
export const clusterRuns = pgTable(
  "cluster_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    status: text("status").$type<JobStatus>().notNull(),
    trigger: text("trigger").$type<"api" | "schedule" | "cli">().notNull(),
    requestedBy: text("requested_by").notNull(),
    progress: jsonb("progress").$type<{ stage: string; done: number; total: number } | null>(),
    questions: integer("questions"),
    clusters: integer("clusters"),
    singletons: integer("singletons"),
    seconds: real("seconds"),
    error: text("error"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("cluster_runs_status_idx").on(t.status, t.requestedAt)],
);

/** Questions a maintainer mapped to an intent: training examples for the next retrain. */
export const intentExamples = pgTable("intent_examples", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  text: text("text").notNull(),
  intent: text("intent").notNull(),
  clusterId: bigint("cluster_id", { mode: "number" }),
  addedBy: text("added_by").notNull(),
  createdAt: createdAt(),
});

/** Retrains of the intent model after new examples: the new model replaces the current one only if it is not worse. */
export const retrainJobs = pgTable("retrain_jobs", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  status: text("status").$type<"queued" | "running" | "swapped" | "refused" | "failed">().notNull(),
  requestedBy: text("requested_by").notNull(),
  examples: integer("examples"),
  currentMacroF1: real("current_macro_f1"),
  newMacroF1: real("new_macro_f1"),
  message: text("message"),
  requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

/** Who changed what in the service's setup: knowledge, agents, routing, reviews, tickets (every accepted change through the admin and staff API). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** admin, maintainer:<id>, agent:<id>. */
    actor: text("actor").notNull(),
    /** The method and route, e.g. PUT /v1/admin/kb/entries/:id. */
    action: text("action").notNull(),
    /** The path with its ids, e.g. /v1/admin/kb/entries/returns-seven-day-policy. */
    target: text("target").notNull(),
    status: integer("status").notNull(),
    /** The request body with secrets removed. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_at_idx").on(t.at)],
);
