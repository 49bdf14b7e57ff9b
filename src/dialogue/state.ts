/**
 * Dialogue state as events: what happened in a conversation is stored as events, and the state
 * is their fold. `applyEvent` is the only place state changes; replaying a conversation's events
 * from `initialState` always gives the state the engine saw.
 */
import type { Channel, ConversationMode } from "../db/schema.js";
import type { Entity, EntityType } from "../nlp/types.js";

export type SlotValue = string | number;

export interface ActiveForm {
  name: string;
  slots: Record<string, SlotValue>;
  /** The slot the bot asked for last, if it is waiting for an answer. */
  requested: string | null;
  /** The bot asked the shopper to confirm the action. */
  confirming: boolean;
  /** Answers to the current question the bot could not use. */
  attempts: number;
  /** Entity values the shopper said since this form started (换个L码的 before the order is known). */
  said: Partial<Record<EntityType, SlotValue>>;
  /** Slot values the opening message gave before their turn came (退货原因 before the order). */
  heard: Record<string, SlotValue>;
}

export interface ConversationContext {
  page?: string;
  productId?: string;
  orderId?: string;
}

export interface DialogueState {
  /** The verified customer, or null for an anonymous visitor. */
  customerId: string | null;
  channel: Channel;
  context: ConversationContext;
  mode: ConversationMode;
  /** Active forms; the last one is being filled, the others wait to be resumed (digressions). */
  forms: ActiveForm[];
  /** Orders an anonymous visitor proved with order number + phone digits. */
  verifiedOrders: string[];
  /** An anonymous visitor's order number waiting for the phone digits. */
  pendingVerification: string | null;
  verificationFailures: number;
  /** The choices shown last (order ids, item ids, option values), for answers like 第二个. */
  offered: { slot: string; values: string[] } | null;
  /** The last value the shopper gave for each entity type, for later forms. */
  memory: Partial<Record<EntityType, SlotValue>>;
  /** The order the conversation is about, once one was picked or shown. */
  focusOrder: string | null;
  /** Consecutive turns the bot could not handle. */
  unhandled: number;
  /** The scenario whose action ran last, for follow-up questions (那L呢, 价格呢). */
  lastAction: string | null;
  handoff: { reason: string; summary: string } | null;
  /** The human agent the conversation is offered to (mode queued) or with (mode agent). */
  agent: { id: string; name: string } | null;
  /** The shopper's last few messages, for the conversation-level escalation rules. */
  recent: RecentMessage[];
}

export interface RecentMessage {
  text: string | null;
  at: string | null;
  label: string | null;
  score: number;
}

/** How many of the shopper's messages `recent` keeps. */
export const RECENT_MESSAGES = 6;

export type DialogueEvent =
  | { type: "ConversationStarted"; customerId: string | null; channel: Channel; context: ConversationContext }
  | {
      type: "UserUttered";
      seq: number;
      text: string | null;
      payload: string | null;
      intent: string;
      confidence: number;
      entities: Entity[];
      /** When it was said (ISO), and the emotion read in it; absent in events stored before emotions. */
      at?: string;
      emotion?: { label: string; score: number };
    }
  | { type: "FormStarted"; form: string; said: Partial<Record<EntityType, SlotValue>> }
  | { type: "SlotRequested"; slot: string }
  | { type: "ChoicesOffered"; slot: string; values: string[] }
  | { type: "SlotSet"; slot: string; value: SlotValue }
  | { type: "SlotHeard"; slot: string; value: SlotValue }
  | { type: "SlotRejected"; slot: string; reason: string }
  | { type: "ConfirmationRequested" }
  | { type: "FormCompleted"; form: string }
  | { type: "FormCancelled"; form: string; reason: "shopper" | "refused" | "unavailable" | "handoff" }
  | { type: "ActionExecuted"; action: string; result: Record<string, unknown> }
  | { type: "VerificationRequested"; orderId: string }
  | { type: "OrderVerified"; orderId: string }
  | { type: "VerificationFailed" }
  | { type: "OrderFocused"; orderId: string }
  | { type: "TurnHandled" }
  | { type: "TurnUnhandled" }
  | { type: "HandoffRequested"; reason: string; summary: string }
  | { type: "KnowledgeAnswered"; entryId: string; score: number }
  | { type: "KnowledgeSuggested"; entryIds: string[] }
  | { type: "Unanswered"; reason: "no_match" | "not_understood"; candidates: { id: string; score: number }[] }
  | { type: "AgentAssigned"; agentId: string; agentName: string; rule: string; why: string }
  | { type: "AgentJoined"; agentId: string; agentName: string }
  | { type: "AgentReleased"; agentId: string; reason: "timeout" | "offline" | "away" | "transferred" }
  | { type: "ConversationTransferred"; fromAgentId: string; toGroup: string | null; toAgentId: string | null; note: string }
  | { type: "TicketRequested"; reason: string; summary: string }
  | { type: "ConversationClosed"; by?: "shopper" | "agent" | "admin"; summary?: string };

export type DialogueEventType = DialogueEvent["type"];

export function initialState(): DialogueState {
  return {
    customerId: null,
    channel: "web",
    context: {},
    mode: "bot",
    forms: [],
    verifiedOrders: [],
    pendingVerification: null,
    verificationFailures: 0,
    offered: null,
    memory: {},
    focusOrder: null,
    unhandled: 0,
    lastAction: null,
    handoff: null,
    agent: null,
    recent: [],
  };
}

/** Wrong order number / phone digit pairs an anonymous visitor may give before the check stops. */
export const MAX_VERIFICATION_FAILURES = 3;

const MEMORY_TYPES: EntityType[] = ["product", "color", "size", "height", "weight", "order_number"];

/** The last value per remembered entity type in a message. */
export function entityValues(entities: Entity[]): Partial<Record<EntityType, SlotValue>> {
  const out: Partial<Record<EntityType, SlotValue>> = {};
  for (const e of entities) if (MEMORY_TYPES.includes(e.type)) out[e.type] = e.value;
  return out;
}

function updateTop(state: DialogueState, update: (form: ActiveForm) => ActiveForm): DialogueState {
  const top = state.forms.at(-1);
  if (!top) return state;
  return { ...state, forms: [...state.forms.slice(0, -1), update(top)] };
}

/** The one state transition function. */
export function applyEvent(state: DialogueState, event: DialogueEvent): DialogueState {
  switch (event.type) {
    case "ConversationStarted":
      return {
        ...state,
        customerId: event.customerId,
        channel: event.channel,
        context: event.context,
        mode: "bot",
        lastAction: event.context.productId ? "product_page" : null,
      };
    case "UserUttered": {
      const said = entityValues(event.entities);
      const memory = { ...state.memory, ...said };
      const heard: RecentMessage = { text: event.text, at: event.at ?? null, label: event.emotion?.label ?? null, score: event.emotion?.score ?? 0 };
      const recent = [...(state.recent ?? []), heard].slice(-RECENT_MESSAGES);
      return { ...updateTop(state, (f) => ({ ...f, said: { ...f.said, ...said } })), memory, recent };
    }
    case "FormStarted":
      return {
        ...state,
        offered: null,
        forms: [...state.forms, { name: event.form, slots: {}, requested: null, confirming: false, attempts: 0, said: { ...event.said }, heard: {} }],
      };
    case "SlotRequested":
      return updateTop(state, (f) => ({ ...f, requested: event.slot, confirming: false, attempts: f.requested === event.slot ? f.attempts : 0 }));
    case "ChoicesOffered":
      return { ...state, offered: { slot: event.slot, values: event.values } };
    case "SlotSet": {
      const next = updateTop(state, (f) => ({
        ...f,
        slots: { ...f.slots, [event.slot]: event.value },
        requested: f.requested === event.slot ? null : f.requested,
        confirming: false,
        attempts: 0,
      }));
      return { ...next, offered: state.offered?.slot === event.slot ? null : state.offered };
    }
    case "SlotHeard":
      return updateTop(state, (f) => ({ ...f, heard: { ...f.heard, [event.slot]: event.value } }));
    case "SlotRejected":
      return updateTop(state, (f) => {
        const { [event.slot]: _dropped, ...heard } = f.heard;
        return { ...f, attempts: f.attempts + 1, heard };
      });
    case "ConfirmationRequested":
      return updateTop(state, (f) => ({ ...f, requested: null, confirming: true, attempts: 0 }));
    case "FormCompleted":
    case "FormCancelled":
      return { ...state, forms: state.forms.slice(0, -1), offered: null };
    case "ActionExecuted":
      return { ...state, lastAction: event.action };
    case "VerificationRequested":
      return { ...state, pendingVerification: event.orderId };
    case "OrderVerified":
      return {
        ...state,
        pendingVerification: null,
        verificationFailures: 0,
        verifiedOrders: state.verifiedOrders.includes(event.orderId) ? state.verifiedOrders : [...state.verifiedOrders, event.orderId],
      };
    case "VerificationFailed": {
      const failures = state.verificationFailures + 1;
      // The shopper may retry the digits (or send another order number) until the last attempt.
      return { ...state, pendingVerification: failures >= MAX_VERIFICATION_FAILURES ? null : state.pendingVerification, verificationFailures: failures };
    }
    case "OrderFocused":
      return { ...state, focusOrder: event.orderId };
    case "TurnHandled":
      return { ...state, unhandled: 0 };
    case "TurnUnhandled":
      return { ...state, unhandled: state.unhandled + 1 };
    case "HandoffRequested":
      return { ...state, mode: "queued", forms: [], offered: null, handoff: { reason: event.reason, summary: event.summary } };
    case "KnowledgeAnswered":
      return { ...state, lastAction: "knowledge" };
    case "KnowledgeSuggested":
    case "Unanswered":
    case "TicketRequested":
      return state;
    case "AgentAssigned":
      return { ...state, mode: "queued", agent: { id: event.agentId, name: event.agentName } };
    case "AgentJoined":
      // From here the person answers: nothing the bot was filling while the shopper waited goes on.
      return { ...state, mode: "agent", forms: [], offered: null, agent: { id: event.agentId, name: event.agentName } };
    case "AgentReleased":
    case "ConversationTransferred":
      return { ...state, mode: "queued", agent: null };
    case "ConversationClosed":
      return { ...state, mode: "closed", forms: [] };
  }
}

export function replay(events: DialogueEvent[], from: DialogueState = initialState()): DialogueState {
  return events.reduce(applyEvent, from);
}
