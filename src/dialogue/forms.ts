/**
 * How a scenario is declared: the intent that starts it, its slots (typed by what fills them),
 * an optional confirmation and the action. Scenarios are data for the engine; adding one
 * means adding a file under scenarios/ and listing it, never touching the engine.
 */
import type { ServiceContext } from "../context.js";
import type { OrderStatus, PostalAddress } from "../db/schema.js";
import type { ParseResult } from "../nlp/pipeline.js";
import type { OrderBrief, OrderDetail, OrderItemRow } from "../shop/orders.js";
import type { ProductDetail } from "../shop/products.js";
import type { Reply } from "./replies.js";
import type { DialogueState, SlotValue } from "./state.js";

export type Slots = Record<string, SlotValue>;

export type Refusal = string | { reason: string; end: true; replies?: Reply[] };

/** The data a scenario may read; order access is already restricted to what this shopper may see. */
export interface ShopView {
  customer(): Promise<{ id: string; name: string; vipLevel: number; defaultAddress: PostalAddress } | null>;
  /** The verified customer's orders (newest first), or the orders an anonymous visitor verified; without tracking. */
  orders(): Promise<OrderBrief[]>;
  /** An order this shopper may see; null when it does not exist or is not theirs (indistinguishable). */
  order(id: string): Promise<OrderBrief | null>;
  /** The same, with shipments and their tracking trail. */
  orderDetail(id: string): Promise<OrderDetail | null>;
  product(id: string): Promise<ProductDetail | null>;
  /**
   * An anonymous visitor proves an order: the order when `phoneLast4` matches its delivery phone,
   * null otherwise (also when it does not exist, so the two cannot be told apart).
   */
  verify(orderId: string, phoneLast4: string): Promise<OrderBrief | null>;
  /** Forget what was read this turn (after an action changed the data). */
  refresh(): void;
}

/** Opening after-sales tickets (工单) for this conversation's shopper, in the turn's transaction. */
export interface TicketPort {
  open(input: {
    /** The record number the shopper was told (refund or case id): it becomes the ticket's number. */
    id: string;
    type: "return" | "delivery" | "complaint" | "repair" | "exchange" | "other";
    subject: string;
    description: string;
    orderId: string | null;
  }): Promise<{ id: string }>;
  /** The shopper's tickets that are not closed, newest first, as the shopper may read them. */
  mine(): Promise<{ id: string; typeText: string; statusText: string; subject: string; updatedAt: Date }[]>;
}

/** Everything a slot resolver or an action gets for one turn. */
export interface Turn {
  ctx: ServiceContext;
  conversationId: string;
  state: DialogueState;
  /** The message being answered: its text (normalised by the NLU) or a button payload. */
  text: string;
  payload: { name: string; args: Record<string, string> } | null;
  nlu: ParseResult | null;
  shop: ShopView;
  /** Absent where no ticket desk is wired (engine unit tests). */
  tickets?: TicketPort;
  now: Date;
}

export interface ActionResult {
  replies: Reply[];
  /** Facts for the event log: ids of records created, what changed. */
  result?: Record<string, unknown>;
  /** Hand the conversation to a human after these replies. */
  handoff?: { reason: string; summary: string };
}

type Prompt = string | ((turn: Turn, slots: Slots) => string | Promise<string>);

interface SlotBase {
  name: string;
  /** What the bot asks when the slot cannot be filled from the message or the context. */
  prompt: Prompt;
  /** The slot is only needed when this holds for the slots filled so far. */
  when?: (slots: Slots) => boolean;
  /**
   * Why a value cannot be used, or null. A string is said and the slot asked again; `{reason, end}`
   * ends the form (nothing else could qualify, e.g. an item without warranty).
   */
  validate?: (value: SlotValue, turn: Turn, slots: Slots) => Promise<Refusal | null> | Refusal | null;
}

/** An order of this shopper's; a list to pick from when there are several, never a guess. */
export interface OrderSlot extends SlotBase {
  kind: "order";
  /** Orders offered in the list; others named explicitly go to `check`. Default: all. */
  statuses?: readonly OrderStatus[];
  /** Why this order cannot be used here (said to the shopper), or null when it can. */
  check?: (order: OrderBrief, turn: Turn) => string | null;
  /** Said when the shopper has no order in `statuses`. */
  none: string;
  /**
   * Take the single open order (not yet delivered, cancelled or refunded) without asking when the
   * shopper has exactly one: 我那个订单到哪了 usually means the one still on its way.
   */
  preferOpen?: boolean;
}

/** One line of the order in slot `order`. */
export interface ItemSlot extends SlotBase {
  kind: "item";
  check?: (item: OrderItemRow, order: OrderBrief, turn: Turn) => string | null;
}

/** A catalogue product: said by name or model code, the page the shopper is on, or mentioned before. */
export interface ProductSlot extends SlotBase {
  kind: "product";
  check?: (product: ProductDetail) => string | null;
  /** Further slots the chosen product settles, e.g. {fit: "foot"} for shoes. */
  derive?: (product: ProductDetail) => Slots;
  /** Offer the products this customer bought as buttons when asking. */
  offerPurchased?: boolean;
}

/** A colour or size of the product in slot `product` (or of the item in slot `item`). */
export interface VariantSlot extends SlotBase {
  kind: "color" | "size";
}

/** A number: from an entity (height, weight) or a pattern of its own (脚长 25cm). */
export interface NumberSlot extends SlotBase {
  kind: "number";
  entity?: "height" | "weight" | "quantity" | "money";
  /** Extracts the number from the normalised text when no entity does. */
  extract?: (text: string) => number | null;
  range: [number, number];
  /** Said when the number is outside `range`. */
  invalid: string;
}

export interface ChoiceOption {
  value: string;
  label: string;
  /** Words in a message that pick this option (normalised text). */
  keywords: string[];
}

export interface ChoiceSlot extends SlotBase {
  kind: "choice";
  options: ChoiceOption[];
}

/** Free text (an address, a company name); `validate` returns the reason it is unusable. */
export interface TextSlot extends SlotBase {
  kind: "text";
  /** Pulls the value out of a longer message; default: the whole message. */
  extract?: (text: string) => string | null;
}

export type SlotSpec = OrderSlot | ItemSlot | ProductSlot | VariantSlot | NumberSlot | ChoiceSlot | TextSlot;

export interface FormSpec {
  /** Scenario name, also the action name in traces. */
  name: string;
  /** The intent that starts this form. */
  intent: string;
  /** Shown when resuming after a digression: 我们继续刚才的{title}. */
  title: string;
  slots: SlotSpec[];
  /**
   * A short follow-up right after one of the `after` scenarios continues here even when the intent
   * model reads it otherwise: 价格呢 after product facts, 那L呢 after a stock answer. `product_page`
   * stands for a conversation opened on a product page; "any" matches whatever came before.
   */
  followUp?: {
    after: string[] | "any";
    when: (turn: Turn) => boolean;
    /** The follow-up wins even over a confident other intent (保修多久 is a fact, not a repair). */
    overrides?: (turn: Turn) => boolean;
  };
  /**
   * The scenario hands the shopper to a human itself, with its own record (complaint, human_agent),
   * so the emotion rules let it run instead of handing over first.
   */
  handsOver?: boolean;
  /**
   * A question that only reads the shop's data (order status, logistics, product facts): the bot
   * still answers it while the shopper waits in the queue for a person (robot-first).
   */
  whileWaiting?: boolean;
  /** Ask the shopper to confirm before acting; the replies ask the question. */
  confirm?: (turn: Turn, slots: Slots) => Promise<Reply[]>;
  action: (turn: Turn, slots: Slots) => Promise<ActionResult>;
}

/** The knowledge base as the dialogue uses it: answers to policy and how-to questions. */
export interface KnowledgePort {
  retrieve(text: string, now: Date): { outcome: "answer" | "suggest" | "none"; hits: { id: string; question: string; score: number }[] };
  entry(id: string): { id: string; question: string; answer: string; quickReplies?: { label: string; payload: string }[]; link?: string } | undefined;
}

/** A scenario declared with its slot types checked. */
export const defineForm = (spec: FormSpec): FormSpec => spec;
