/**
 * The dialogue engine: one shopper turn in, replies and events out. It knows slot types, forms,
 * digressions, corrections, cancelling and hand-over; what each scenario asks and does is declared
 * in scenarios/. State only changes through events (state.ts), so the engine's view is always the
 * replay of what it emitted.
 */
import type { Channel } from "../db/schema.js";
import type { ParseResult } from "../nlp/pipeline.js";
import { botWhileWaiting, type ServiceMode } from "../shared/service-modes.js";
import { decideEscalation, DEFAULT_ESCALATION_POLICY, emotionLabelZh, type Escalation, type EscalationPolicy } from "./escalation.js";
import type { FormSpec, KnowledgePort, ShopView, Slots, Turn } from "./forms.js";
import { parsePayload, payload, quickReplies, text, type Reply } from "./replies.js";
import { ask, corrections, fillFromContext, fillFromMessage, type Correction, type Fill } from "./slots.js";
import { applyEvent, entityValues, type ActiveForm, type DialogueEvent, type DialogueState } from "./state.js";
import { isCancel, isCorrection, yesNo } from "./understand.js";

/** An intent this confident starts another form in the middle of one (a digression). */
const DIGRESSION_MIN_CONFIDENCE = 0.7;
/** A follow-up is short, and the intent model must be less sure than this that it is something else. */
const FOLLOW_UP_MAX_CHARS = 16;
const FOLLOW_UP_OVERRIDE_BELOW = 0.9;
/**
 * Below this intent confidence a close knowledge answer wins over starting the scenario (the bot
 * answers and offers the scenario as a button). Above it the shopper's request is acted on:
 * 我要申请保修 is a request, even if a policy entry reads alike.
 */
const INTENT_OVER_KNOWLEDGE = 0.5;
/** At or above this intent confidence the bot counts a message as one it can act on (escalation.ts). */
const CONFIDENT_SCENARIO = 0.5;
/** After this many consecutive turns the bot could not handle, it offers a human. */
const UNHANDLED_BEFORE_OFFER = 2;

/** What the caller provides for a turn; the shop view is opened over the engine's live state. */
export type TurnBase = Omit<Turn, "state" | "text" | "payload" | "nlu" | "shop"> & {
  openShop(state: () => DialogueState): ShopView;
};

export interface UserInput {
  seq: number;
  text: string | null;
  payload: string | null;
}

export interface TurnOutcome {
  replies: Reply[];
  events: DialogueEvent[];
  state: DialogueState;
  /** The scenario whose action ran this turn, if any. */
  action: string | null;
}

const HUMAN_OPTION = { label: "转人工客服", payload: payload("human") };

export class DialogueEngine {
  private readonly byName = new Map<string, FormSpec>();
  private readonly byIntent = new Map<string, FormSpec>();

  constructor(
    readonly forms: readonly FormSpec[],
    private readonly knowledge?: KnowledgePort,
    private readonly escalation: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
    /** How each channel is served; robot_first where not given. */
    private readonly modes: Partial<Record<Channel, ServiceMode>> = {},
  ) {
    for (const form of forms) {
      if (this.byName.has(form.name)) throw new Error(`dialogue: two scenarios are named ${form.name}`);
      if (this.byIntent.has(form.intent)) throw new Error(`dialogue: two scenarios start on intent ${form.intent}`);
      const names = new Set<string>();
      for (const slot of form.slots) {
        if (names.has(slot.name)) throw new Error(`dialogue: ${form.name} declares slot ${slot.name} twice`);
        names.add(slot.name);
      }
      this.byName.set(form.name, form);
      this.byIntent.set(form.intent, form);
    }
  }

  form(name: string): FormSpec | undefined {
    return this.byName.get(name);
  }

  modeOf(channel: Channel): ServiceMode {
    return this.modes[channel] ?? "robot_first";
  }

  /** Answers one shopper message (text already parsed by the NLU) or button payload. */
  async respond(base: TurnBase, state: DialogueState, input: UserInput, nlu: ParseResult | null): Promise<TurnOutcome> {
    const run = new Run(state, base, input, nlu);
    run.emit({
      type: "UserUttered",
      seq: input.seq,
      text: input.text,
      payload: input.payload,
      intent: nlu?.intent.name ?? "payload",
      confidence: nlu?.intent.confidence ?? 1,
      entities: nlu?.entities ?? [],
      at: base.now.toISOString(),
      ...(nlu?.emotion ? { emotion: { label: nlu.emotion.label, score: nlu.emotion.score } } : {}),
    });
    const mode = this.modeOf(state.channel);
    // Waiting for a person: simple questions are still answered (robot-first); anything else, and
    // every message once a person has joined, is stored for the agent and the bot stays quiet.
    if (state.mode !== "bot") {
      if (state.mode === "queued" && botWhileWaiting(mode)) await this.whileWaiting(run);
      return run.outcome();
    }
    if (mode === "human_only") {
      await this.handoff(run, "human_only", undefined, "本渠道仅人工服务");
      run.emit({ type: "TurnHandled" });
      return run.outcome();
    }

    // Anger, anxiety, threats, safety, the same question again and again: a human, without a bot answer.
    const escalation = await this.shouldEscalate(run);
    if (escalation) {
      await this.handoff(run, escalation.rule, undefined, escalation.why);
      run.emit({ type: "TurnHandled" });
      return run.outcome();
    }

    const handled = run.turn.payload ? await this.onPayload(run) : await this.onText(run);
    run.emit({ type: handled ? "TurnHandled" : "TurnUnhandled" });
    if (!handled) await this.fallback(run);
    return run.outcome();
  }

  /**
   * In the queue: a form started while waiting goes on, a read-only scenario the intent model is
   * sure about runs, and a policy question gets its knowledge answer. Nothing else is answered.
   */
  private async whileWaiting(run: Run): Promise<void> {
    if (run.top) {
      if (isCancel(run.turn.text) || run.turn.payload?.name === "cancel") {
        this.cancel(run, "shopper", "好的。人工客服接入后会继续为您处理。");
        return;
      }
      if (await this.continueForm(run)) return;
    }
    const p = run.turn.payload;
    const intent = run.turn.nlu?.intent;
    const spec = p ? this.byName.get(p.name) : intent && intent.confidence >= CONFIDENT_SCENARIO ? this.byIntent.get(intent.name) : undefined;
    if (spec?.whileWaiting) {
      await this.startForm(run, spec);
      return;
    }
    // Asking for a human while already in the queue (人呢) is answered with the place in the queue,
    // not with the knowledge base's "how to reach a human".
    const asksForHuman = !p && intent?.name === "human_agent";
    if (p?.name === "kb" || (!p && !spec && !asksForHuman)) {
      const entry = p?.args.id ? this.knowledge?.entry(p.args.id) : undefined;
      if (entry) {
        this.answerFromKnowledge(run, entry.id, 1);
        return;
      }
      const known = p ? undefined : this.retrieve(run);
      if (known?.outcome === "answer") this.answerFromKnowledge(run, known.hits[0]!.id, known.hits[0]!.score);
    }
  }

  private async onPayload(run: Run): Promise<boolean> {
    const p = run.turn.payload!;
    if (p.name === "human") {
      await this.handoff(run, "requested");
      return true;
    }
    if (p.name === "cancel") {
      if (!run.top) return false;
      this.cancel(run, "shopper");
      await this.resume(run);
      return true;
    }
    if (p.name === "affirm" || p.name === "deny") {
      run.turn.text = p.name === "affirm" ? "是的" : "不用了";
      return run.top ? this.continueForm(run) : false;
    }
    if (p.name === "select") return run.top ? this.continueForm(run) : false;
    if (p.name === "kb") {
      const entry = p.args.id ? this.knowledge?.entry(p.args.id) : undefined;
      if (!entry) return false;
      this.answerFromKnowledge(run, entry.id, 1);
      if (run.top) await this.resume(run);
      return true;
    }
    const spec = this.byName.get(p.name);
    if (!spec) return false;
    await this.startForm(run, spec);
    return true;
  }

  private async onText(run: Run): Promise<boolean> {
    const top = run.top;
    const intent = run.turn.nlu?.intent;
    if (top) {
      if (isCancel(run.turn.text) && !(await this.answersChoice(run))) {
        this.cancel(run, "shopper");
        await this.resume(run);
        return true;
      }
      if (await this.continueForm(run)) return true;
      const other = intent ? this.byIntent.get(intent.name) : undefined;
      const shortAnswer = yesNo(run.turn.text) !== null;
      if (other && other.name !== top.name && intent!.confidence >= DIGRESSION_MIN_CONFIDENCE && !shortAnswer) {
        await this.startForm(run, other);
        return true;
      }
      // A policy question in the middle of a form: answer it from the knowledge base, then go on.
      const known = shortAnswer ? undefined : this.retrieve(run);
      if (known?.outcome === "answer") {
        this.answerFromKnowledge(run, known.hits[0]!.id, known.hits[0]!.score);
        await this.resume(run);
        return true;
      }
      return false;
    }
    if (isCancel(run.turn.text)) {
      run.say(text("好的。还有什么可以帮您的吗？"));
      return true;
    }
    const followUp = this.followUp(run);
    if (followUp) {
      await this.startForm(run, followUp);
      return true;
    }
    const spec = intent ? this.byIntent.get(intent.name) : undefined;
    // The knowledge base is consulted only when no confident scenario takes the message.
    const consult = !spec || (intent!.confidence < INTENT_OVER_KNOWLEDGE && spec.slots.length > 0);
    const known = consult ? this.retrieve(run) : undefined;
    if (spec && known?.outcome === "answer") {
      // The intent model is unsure and the knowledge base has a close answer.
      this.answerFromKnowledge(run, known.hits[0]!.id, known.hits[0]!.score);
      return true;
    }
    if (spec) {
      await this.startForm(run, spec);
      return true;
    }
    if (known?.outcome === "answer") {
      this.answerFromKnowledge(run, known.hits[0]!.id, known.hits[0]!.score);
      return true;
    }
    if (known?.outcome === "suggest") {
      run.emit({ type: "KnowledgeSuggested", entryIds: known.hits.map((h) => h.id) });
      run.say(quickReplies(known.hits.map((h) => ({ label: h.question, payload: payload("kb", { id: h.id }) })), "您是不是想问："));
      return true;
    }
    return false;
  }

  /** This turn's knowledge retrieval, computed once. */
  private retrieve(run: Run) {
    if (!this.knowledge || !run.turn.text) return undefined;
    run.retrieval ??= this.knowledge.retrieve(run.turn.text, run.turn.now);
    return run.retrieval;
  }

  /** A knowledge entry's answer, with its buttons, as the reply. */
  private answerFromKnowledge(run: Run, id: string, score: number): void {
    const entry = this.knowledge!.entry(id)!;
    run.emit({ type: "KnowledgeAnswered", entryId: id, score });
    run.say(text(entry.link ? `${entry.answer}\n详情：${entry.link}` : entry.answer));
    if (entry.quickReplies?.length) run.say(quickReplies(entry.quickReplies.slice(0, 6)));
  }

  /** 不想要了 answering 退货原因 is an answer (七天无理由), not 算了. */
  private async answersChoice(run: Run): Promise<boolean> {
    const form = run.top!;
    const slot = this.byName.get(form.name)!.slots.find((s) => s.name === form.requested);
    if (slot?.kind !== "choice") return false;
    return (await fillFromMessage(slot, run.turn, form.slots, { asked: true })).kind === "value";
  }

  /** The scenario a short follow-up continues, unless the intent model is sure it is something else. */
  private followUp(run: Run): FormSpec | undefined {
    const last = run.state.lastAction;
    const intent = run.turn.nlu?.intent;
    if (!intent || [...run.turn.text].length > FOLLOW_UP_MAX_CHARS) return undefined;
    return this.forms.find(
      (f) =>
        f.followUp &&
        (f.followUp.after === "any" || (last !== null && f.followUp.after.includes(last))) &&
        (intent.name === f.intent || intent.confidence < FOLLOW_UP_OVERRIDE_BELOW || !!f.followUp.overrides?.(run.turn)) &&
        f.followUp!.when(run.turn),
    );
  }

  private async startForm(run: Run, spec: FormSpec): Promise<void> {
    run.emit({ type: "FormStarted", form: spec.name, said: entityValues(run.turn.nlu?.entities ?? []) });
    // Everything the opening message says is used: slots whose turn has come are filled now; the
    // others (退货原因 before the order is picked) are noted and used when their turn comes.
    let question: Extract<Fill, { kind: "asked" }> | null = null;
    for (const slot of spec.slots) {
      const form = run.top;
      if (!form || form.name !== spec.name) return;
      const known = { ...form.heard, ...form.slots };
      if (slot.when && !slot.when(known)) continue;
      if (slot.name in form.slots) continue;
      // A choice or number without its own validation does not depend on the slots before it.
      const independent = (slot.kind === "choice" || slot.kind === "number") && !slot.validate;
      const ready = independent || (!question && spec.slots.slice(0, spec.slots.indexOf(slot)).every((s) => (s.when && !s.when(known)) || s.name in form.slots));
      const fill = await fillFromMessage(slot, run.turn, form.slots, { asked: false });
      if (fill.kind === "asked") {
        question ??= fill;
      } else if (ready) {
        if ((await this.applyFill(run, spec, slot.name, fill)) === "stop") return;
      } else if (fill.kind === "value") {
        run.emit({ type: "SlotHeard", slot: slot.name, value: fill.value });
      }
    }
    if (question) {
      run.emit(...question.events);
      run.say(...question.replies);
      return;
    }
    await this.advance(run);
  }

  /** Uses the message for the form being filled: an answer, a correction, or a yes/no. */
  private async continueForm(run: Run): Promise<boolean> {
    const form = run.top!;
    const spec = this.byName.get(form.name)!;
    const fixes = await corrections(spec.slots, run.turn, form.slots);
    if (form.confirming) {
      if (fixes.length > 0) {
        await this.applyCorrections(run, spec, fixes);
        return true;
      }
      const answer = yesNo(run.turn.text);
      if (answer === true) {
        await this.execute(run, spec);
        return true;
      }
      if (answer === false) {
        this.cancel(run, "shopper", `好的，那就先不${spec.title}了。还有什么可以帮您的吗？`);
        await this.resume(run);
        return true;
      }
      return false;
    }
    // 不对，我是180的 while asked for the weight: the correction comes first.
    if (fixes.length > 0 && isCorrection(run.turn.text)) {
      await this.applyCorrections(run, spec, fixes);
      return true;
    }
    if (form.requested) {
      const slot = spec.slots.find((s) => s.name === form.requested)!;
      const fill = await fillFromMessage(slot, run.turn, form.slots, { asked: true });
      const result = await this.applyFill(run, spec, slot.name, fill);
      if (result === "stop") return true;
      if (result === "filled") {
        // The same message may carry more (换L码黑色的): fill what else it names.
        for (const other of spec.slots) {
          const current = run.top;
          if (!current || current.name !== spec.name || other.name in current.slots) continue;
          if (other.when && !other.when(current.slots)) continue;
          if (other.kind === "text") continue;
          const more = await fillFromMessage(other, run.turn, current.slots, { asked: false });
          if (more.kind === "value" && !(await other.validate?.(more.value, run.turn, current.slots))) {
            run.emit({ type: "SlotSet", slot: other.name, value: more.value });
            for (const [name, value] of Object.entries(more.also ?? {})) run.emit({ type: "SlotSet", slot: name, value });
          }
        }
        await this.advance(run);
        return true;
      }
    }
    if (fixes.length > 0) {
      await this.applyCorrections(run, spec, fixes);
      return true;
    }
    return false;
  }

  /** 不对，是黑色的: changes the slots, or says why a new value cannot be used and asks again. */
  private async applyCorrections(run: Run, spec: FormSpec, fixes: Correction[]): Promise<void> {
    const rejected = fixes.find((f) => f.rejected);
    if (rejected) {
      run.emit({ type: "SlotRejected", slot: rejected.slot, reason: rejected.rejected! });
      run.say(text(rejected.rejected!));
      if (run.top!.confirming) run.say(...(await spec.confirm!(run.turn, run.top!.slots)));
      else if (run.top!.requested) await this.askSlot(run, spec, run.top!.requested, { repeat: false });
      return;
    }
    for (const f of fixes) run.emit({ type: "SlotSet", slot: f.slot, value: f.value });
    await this.advance(run);
  }

  /** "filled": slot set; "stop": the turn's replies are complete; "none": nothing usable. */
  private async applyFill(run: Run, spec: FormSpec, slotName: string, fill: Fill): Promise<"filled" | "stop" | "none"> {
    const slot = spec.slots.find((s) => s.name === slotName)!;
    if (fill.kind === "value" && slot.validate) {
      const refusal = await slot.validate(fill.value, run.turn, run.top!.slots);
      if (typeof refusal === "string") fill = { kind: "reject", reason: refusal, events: fill.events };
      else if (refusal) fill = { kind: "reject", reason: refusal.reason, end: true, events: fill.events, replies: refusal.replies };
    }
    switch (fill.kind) {
      case "value":
        run.emit(...(fill.events ?? []), { type: "SlotSet", slot: slotName, value: fill.value });
        for (const [name, value] of Object.entries(fill.also ?? {})) run.emit({ type: "SlotSet", slot: name, value });
        if (slot.kind === "order") run.emit({ type: "OrderFocused", orderId: String(fill.value) });
        return "filled";
      case "asked":
        run.emit(...fill.events);
        run.say(...fill.replies);
        return "stop";
      case "reject":
        run.emit(...(fill.events ?? []), { type: "SlotRejected", slot: slotName, reason: fill.reason });
        run.say(text(fill.reason), ...(fill.replies ?? []));
        if (fill.end) {
          run.emit({ type: "FormCancelled", form: spec.name, reason: "refused" });
          if (run.state.verificationFailures >= 3 && !run.state.customerId) run.say(quickReplies([HUMAN_OPTION]));
          await this.resume(run);
          return "stop";
        }
        await this.askSlot(run, spec, slotName, { repeat: true });
        return "stop";
      case "none":
        return "none";
    }
  }

  /** Fills what the context gives, asks for the next missing slot, or confirms and acts. */
  private async advance(run: Run): Promise<void> {
    for (let guard = 0; guard < 32; guard++) {
      const form = run.top;
      if (!form) return;
      const spec = this.byName.get(form.name)!;
      const missing = spec.slots.find((s) => (!s.when || s.when(form.slots)) && !(s.name in form.slots));
      if (missing) {
        // Said when the form opened, or in this message (脚长26厘米 before the product was known), then the context.
        const heard = form.heard[missing.name];
        const fromMessage: Fill =
          heard !== undefined
            ? { kind: "value", value: heard }
            : missing.kind === "text"
              ? { kind: "none" }
              : await fillFromMessage(missing, run.turn, form.slots, { asked: false });
        const fill = fromMessage.kind === "none" ? await fillFromContext(missing, run.turn, form.slots) : fromMessage;
        if (fill.kind === "value") {
          await this.applyFill(run, spec, missing.name, fill);
          continue;
        }
        if (fill.kind !== "none") {
          await this.applyFill(run, spec, missing.name, fill);
          return;
        }
        await this.askSlot(run, spec, missing.name, { repeat: false });
        return;
      }
      if (spec.confirm && !form.confirming) {
        run.say(...(await spec.confirm(run.turn, form.slots)));
        run.emit({ type: "ConfirmationRequested" });
        return;
      }
      await this.execute(run, spec);
      return;
    }
    throw new Error(`dialogue: form ${run.top?.name} did not settle`);
  }

  private async askSlot(run: Run, spec: FormSpec, slotName: string, options: { repeat: boolean }): Promise<void> {
    const form = run.top!;
    const slot = spec.slots.find((s) => s.name === slotName)!;
    const question = await ask(slot, run.turn, form.slots);
    if (question.unavailable) {
      run.say(...question.replies);
      run.emit({ type: "FormCancelled", form: spec.name, reason: "unavailable" });
      await this.resume(run);
      return;
    }
    run.emit(...question.events);
    run.say(...question.replies);
    if (options.repeat && run.top && run.top.attempts >= UNHANDLED_BEFORE_OFFER) {
      run.say(quickReplies([HUMAN_OPTION, { label: `不${spec.title}了`, payload: payload("cancel") }], "如果不方便回答，也可以让人工客服帮您处理。"));
    }
  }

  private async execute(run: Run, spec: FormSpec): Promise<void> {
    const slots: Slots = { ...run.top!.slots };
    const result = await spec.action(run.turn, slots);
    run.turn.shop.refresh();
    run.action = spec.name;
    run.emit({ type: "ActionExecuted", action: spec.name, result: result.result ?? {} });
    run.say(...result.replies);
    run.emit({ type: "FormCompleted", form: spec.name });
    if (result.handoff) {
      await this.handoff(run, result.handoff.reason, result.handoff.summary || undefined);
      return;
    }
    await this.resume(run);
  }

  private cancel(run: Run, reason: "shopper", message?: string): void {
    const spec = this.byName.get(run.top!.name)!;
    run.emit({ type: "FormCancelled", form: spec.name, reason });
    run.say(text(message ?? `好的，${spec.title}先不办了。还有什么可以帮您的吗？`));
  }

  /** After a digression or a finished form, goes back to the form waiting underneath. */
  private async resume(run: Run): Promise<void> {
    const form = run.top;
    if (!form) return;
    const spec = this.byName.get(form.name)!;
    run.say(text(`我们接着刚才的${spec.title}。`));
    if (form.confirming) {
      run.say(...(await spec.confirm!(run.turn, form.slots)));
      return;
    }
    if (form.requested) {
      await this.askSlot(run, spec, form.requested, { repeat: false });
      return;
    }
    await this.advance(run);
  }

  private async shouldEscalate(run: Run): Promise<Escalation | null> {
    if (run.turn.payload && !this.escalation.humanFirstChannels.length) return null;
    const intent = run.turn.nlu?.intent;
    const spec = intent ? this.byIntent.get(intent.name) : undefined;
    if (spec?.handsOver) return null;
    const solvable = !!run.top || (!!spec && intent!.confidence >= CONFIDENT_SCENARIO);
    const humanFirst = this.escalation.humanFirstChannels.includes(run.state.channel);
    const vip = humanFirst ? ((await run.turn.shop.customer())?.vipLevel ?? 0) > 0 : false;
    return decideEscalation({ emotion: run.turn.nlu?.emotion ?? null, recent: run.state.recent ?? [], vip, channel: run.state.channel, solvable, inForm: !!run.top }, this.escalation);
  }

  private async handoff(run: Run, reason: string, summary?: string, why?: string): Promise<void> {
    const brief = summary ?? (await this.summarize(run, why));
    if (this.modeOf(run.state.channel) === "robot_only") {
      // No people on this channel: the request becomes a ticket the staff follow up on.
      run.emit({ type: "TicketRequested", reason, summary: brief });
      run.say(text("这个渠道暂时没有人工客服在线服务。您的问题我已经记录下来并转给了售后同事，他们会尽快联系您。"));
      return;
    }
    run.emit({ type: "HandoffRequested", reason, summary: brief });
    run.say({
      type: "handoff",
      text: HANDOFF_TEXT[reason] ?? "正在为您转接人工客服，请稍等片刻。客服接入后能看到我们刚才的对话，您不用再重复一遍。",
      reason,
      summary: brief,
    });
  }

  private async summarize(run: Run, why?: string): Promise<string> {
    const customer = await run.turn.shop.customer();
    const who = customer ? `${customer.name}（${customer.vipLevel > 0 ? `VIP${customer.vipLevel}` : "普通会员"}）` : "未登录访客";
    const form = run.top;
    const doing = form ? `，正在办理${this.byName.get(form.name)?.title ?? form.name}` : "";
    const order = run.state.focusOrder ? `，相关订单 ${run.state.focusOrder}` : "";
    const said = run.turn.text ? `；顾客说：“${run.turn.text.slice(0, 60)}”` : "";
    const emotion = run.turn.nlu?.emotion;
    const felt = emotion && emotion.label !== "neutral" ? `；情绪：${emotionLabelZh(emotion.label)} ${emotion.score.toFixed(2)}` : "";
    return `${who}${doing}${order}${said}${felt}${why ? `；转人工原因：${why}` : ""}`;
  }

  private async fallback(run: Run): Promise<void> {
    const offerHuman = run.state.unhandled >= UNHANDLED_BEFORE_OFFER;
    const form = run.top;
    if (run.turn.text) {
      const candidates = (run.retrieval ?? this.knowledge?.retrieve(run.turn.text, run.turn.now))?.hits.map((h) => ({ id: h.id, score: h.score })) ?? [];
      run.emit({ type: "Unanswered", reason: form ? "not_understood" : "no_match", candidates });
    }
    if (form) {
      const spec = this.byName.get(form.name)!;
      if (form.requested) run.emit({ type: "SlotRejected", slot: form.requested, reason: "not understood" });
      run.say(text("抱歉，我没太明白您的意思。"));
      if (form.confirming) {
        run.say(quickReplies([
          { label: "确认", payload: payload("affirm") },
          { label: "先不了", payload: payload("deny") },
        ], "请确认是否继续办理？"));
      } else if (form.requested) {
        await this.askSlot(run, spec, form.requested, { repeat: true });
      }
      if (offerHuman && !(run.top && run.top.attempts >= UNHANDLED_BEFORE_OFFER)) run.say(quickReplies([HUMAN_OPTION]));
      return;
    }
    if (offerHuman) {
      run.say(text("不好意思，这个问题我暂时回答不了。要不要我帮您转接人工客服？"), quickReplies([HUMAN_OPTION]));
      return;
    }
    run.say(
      text("抱歉，这个问题我还不太会。您可以换个说法，或者从下面选一个常见问题："),
      quickReplies([
        { label: "查订单", payload: payload("order_status") },
        { label: "查物流", payload: payload("logistics") },
        { label: "退换货", payload: payload("return_refund") },
        HUMAN_OPTION,
      ]),
    );
  }
}

/** One turn in progress: the events emitted so far and the state they lead to. */
/** What the shopper reads when the bot hands over on its own: calm, owning the problem, no bot answer. */
const SORRY = "非常抱歉让您遇到这样的情况，我已经请人工客服马上来处理。客服接入后能看到我们刚才的对话，您不用再说一遍，请稍等片刻。";
const HANDOFF_TEXT: Record<string, string> = {
  anger: SORRY,
  insult: SORRY,
  threat: SORRY,
  repeated_question: "抱歉一直没能帮您解决，我这就请人工客服来处理。客服接入后能看到我们刚才的对话，您不用再说一遍，请稍等片刻。",
  message_burst: SORRY,
  rising_intensity: SORRY,
  safety: "非常抱歉！您和家人的安全最要紧，如有不适请先就医。我已经请人工客服马上来处理，请保留好商品和照片，客服接入后能看到我们刚才的对话。",
  anxiety: "理解您着急的心情，我已经请人工客服马上来帮您处理，客服接入后能看到我们刚才的对话，请稍等片刻。",
  vip_human_first: "尊敬的会员您好，已为您优先转接专属人工客服，请稍等片刻。",
  human_only: "您好，正在为您接通人工客服，请稍等片刻。",
};

class Run {
  readonly events: DialogueEvent[] = [];
  readonly replies: Reply[] = [];
  action: string | null = null;
  retrieval: ReturnType<KnowledgePort["retrieve"]> | undefined;
  readonly turn: Turn;

  constructor(
    public state: DialogueState,
    base: TurnBase,
    input: UserInput,
    nlu: ParseResult | null,
  ) {
    const run = this;
    const parsed = input.payload ? parsePayload(input.payload) : null;
    const { openShop, ...rest } = base;
    this.turn = {
      ...rest,
      shop: openShop(() => run.state),
      get state() {
        return run.state;
      },
      text: nlu?.normalized ?? input.text ?? "",
      payload: parsed,
      nlu,
    };
  }

  get top(): ActiveForm | undefined {
    return this.state.forms.at(-1);
  }

  emit(...events: DialogueEvent[]): void {
    for (const event of events) {
      this.state = applyEvent(this.state, event);
      this.events.push(event);
    }
  }

  say(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  outcome(): TurnOutcome {
    return { replies: this.replies, events: this.events, state: this.state, action: this.action };
  }
}
