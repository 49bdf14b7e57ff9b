/**
 * What the front ends read from the API, typed from the services that produce it (type-only
 * imports: nothing of the server is bundled), so a changed response shape fails `tsc` here.
 */
import type { getTranscript } from "../../dialogue/conversations.js";
import type { Reply } from "../../dialogue/replies.js";
import type { Serialized } from "../../http/openapi.js";
import type { RealtimeEvent } from "../../routing/events.js";
import type { AgentProfile } from "../../routing/agents.js";
import type { Routing } from "../../routing/service.js";
import type { conversationForAgent } from "../../routing/workbench.js";

export type { OrderCard, OrderSummary, ProductCard, QuickReplyOption, Reply } from "../../dialogue/replies.js";

export type Transcript = Serialized<Awaited<ReturnType<typeof getTranscript>>>;
export type TranscriptMessage = Transcript["messages"][number];
export type ConversationMode = Transcript["state"]["mode"];

export interface StartResponse {
  id: string;
  replies: Reply[];
  state: { mode: ConversationMode };
}

export interface TurnResponse {
  messageId: number | null;
  replies: Reply[];
  state: { mode: ConversationMode };
}

/** An event on either SSE stream, as sent in `data`. */
export type LiveEvent = RealtimeEvent;

export type AgentView = Serialized<Awaited<ReturnType<typeof conversationForAgent>>>;
export type AgentListItem = Serialized<Awaited<ReturnType<Routing["listForAgent"]>>>[number];

export type { AgentProfile };
export type AgentStatus = AgentProfile["status"];
