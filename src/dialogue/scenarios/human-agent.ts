/** 转人工: the shopper asks for a person; hand over at once with what the bot knows. */
import { defineForm } from "../forms.js";

export const humanAgent = defineForm({
  name: "human_agent",
  intent: "human_agent",
  title: "转人工",
  handsOver: true,
  slots: [],
  async action() {
    return { replies: [], handoff: { reason: "requested", summary: "" } };
  },
});
