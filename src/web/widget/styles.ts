/**
 * The widget's styles, inside its shadow root: the host page's CSS cannot reach in, and these
 * rules cannot leak out. `:host { all: initial }` also stops inherited fonts and colours.
 */
export const WIDGET_CSS = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.5 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: #1f2328; --accent: #e8590c; --accent-dark: #c2410c; --soft: #fff4e6; --line: #e5e7eb; --muted: #6b7280; }
*, *::before, *::after { box-sizing: border-box; }
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
button:disabled { cursor: default; opacity: .6; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.launcher { display: flex; align-items: center; gap: 6px; border: 0; border-radius: 28px; padding: 12px 18px;
  background: var(--accent); color: #fff; font-size: 15px; font-weight: 600; box-shadow: 0 6px 20px rgba(0,0,0,.2); position: relative; }
.launcher:hover { background: var(--accent-dark); }
.badge { position: absolute; top: -6px; right: -6px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  background: #dc2626; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }

.panel { position: absolute; right: 0; bottom: 0; width: 380px; height: min(620px, calc(100vh - 40px)); display: flex; flex-direction: column;
  background: #fff; border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.25); overflow: hidden; }
@media (max-width: 480px) {
  :host { right: 12px; bottom: 12px; }
  .panel { position: fixed; inset: 0; width: 100%; height: 100%; border-radius: 0; }
}
.head { display: flex; align-items: center; gap: 8px; padding: 12px 14px; background: var(--accent); color: #fff; }
.head h2 { margin: 0; font-size: 16px; font-weight: 600; }
.head .who { flex: 1; min-width: 0; }
.state { margin: 0; font-size: 12px; opacity: .95; display: flex; align-items: center; gap: 6px; }
.state::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #86efac; }
.state.down::before { background: #fca5a5; }
.state.queued::before { background: #fde68a; }
.close { border: 0; background: transparent; color: #fff; font-size: 24px; line-height: 1; width: 36px; height: 36px; border-radius: 8px; }
.close:hover { background: rgba(255,255,255,.18); }

.log { flex: 1; overflow-y: auto; padding: 12px; background: #f7f7f8; display: flex; flex-direction: column; gap: 10px; }
.msg { display: flex; flex-direction: column; gap: 6px; max-width: 88%; }
.msg.user { align-self: flex-end; align-items: flex-end; }
.msg.bot, .msg.agent { align-self: flex-start; }
.msg.system { align-self: center; max-width: 94%; }
.sender { font-size: 12px; color: var(--muted); }
.msg.agent .sender { color: var(--accent-dark); font-weight: 600; }
.r-text { margin: 0; padding: 8px 12px; border-radius: 12px; background: #fff; border: 1px solid var(--line); white-space: pre-wrap; word-break: break-word; }
.msg.user .r-text { background: var(--accent); border-color: var(--accent); color: #fff; }
.msg.agent .r-text { background: var(--soft); border-color: #fed7aa; }
.msg.system .r-text { background: transparent; border: 0; color: var(--muted); font-size: 12px; text-align: center; padding: 2px 8px; }
.delivery { font-size: 12px; color: var(--muted); display: flex; gap: 8px; align-items: center; }
.delivery.bad { color: #b91c1c; }
.retry { border: 1px solid #b91c1c; background: #fff; color: #b91c1c; border-radius: 6px; padding: 0 8px; font-size: 12px; }

.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.chip { border: 1px solid #fdba74; background: #fff; color: var(--accent-dark); border-radius: 16px; padding: 4px 12px; font-size: 13px; text-align: left; }
.chip:hover:not(:disabled) { background: var(--soft); }

.order-list { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.order-pick { width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; text-align: left; padding: 8px 10px;
  border: 1px solid var(--line); border-radius: 10px; background: #fff; }
.order-pick:hover:not(:disabled) { border-color: var(--accent); }
.order-title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.order-meta { grid-column: 1 / -1; font-size: 12px; color: var(--muted); margin: 0; }
.status-shipped, .status-in_transit, .status-out_for_delivery { color: #1d4ed8; }
.order-pick .status, .card-head .status { font-size: 12px; white-space: nowrap; }

.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 10px 12px; width: 300px; max-width: 100%; }
.card-head { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
.items { list-style: none; margin: 6px 0; padding: 0; font-size: 13px; }
.items li { display: flex; justify-content: space-between; gap: 8px; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0 0; font-size: 12px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-all; }
.refunds { margin: 6px 0 0; padding-left: 18px; font-size: 12px; }
.product-card { display: flex; gap: 10px; }
.product-card img { width: 88px; height: 88px; border-radius: 8px; object-fit: cover; flex: none; }
.product-body { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.brand { font-size: 12px; color: var(--muted); }
.price { color: #dc2626; font-weight: 600; }
.stock { font-size: 12px; color: #15803d; }
.stock.out { color: #b91c1c; }
.buy { align-self: flex-start; margin-top: 4px; padding: 4px 12px; border-radius: 14px; background: var(--accent); color: #fff; text-decoration: none; font-size: 13px; }

.timeline { list-style: none; margin: 8px 0 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
.timeline li { position: relative; padding: 0 0 10px 6px; display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.timeline li::before { content: ""; position: absolute; left: -20px; top: 4px; width: 10px; height: 10px; border-radius: 50%; background: #d1d5db; }
.timeline li.latest { color: #1f2328; }
.timeline li.latest::before { background: var(--accent); }
.timeline .what { font-size: 13px; }

.handoff .queue { margin: 6px 0 0; padding: 6px 10px; border-radius: 8px; background: #fef3c7; color: #92400e; font-size: 13px; }
.feedback { display: flex; gap: 6px; align-items: center; font-size: 12px; color: var(--muted); }
.feedback button { border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 0 8px; }

.rating { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; width: 300px; max-width: 100%; }
.rating p { margin: 0; }
.stars { display: flex; gap: 4px; }
.star { border: 0; background: transparent; font-size: 26px; line-height: 1; color: #d1d5db; padding: 2px; }
.star.on { color: #f59e0b; }
.rating textarea { width: 100%; min-height: 56px; resize: vertical; border: 1px solid var(--line); border-radius: 8px; padding: 6px 8px; }
.primary { align-self: flex-start; border: 0; border-radius: 8px; background: var(--accent); color: #fff; padding: 6px 14px; }

.hot { padding: 8px 12px 0; border-top: 1px solid var(--line); background: #fff; }
.hot h3 { margin: 0; font-size: 12px; color: var(--muted); font-weight: 400; }
.hot .chips { flex-wrap: nowrap; overflow-x: auto; padding-bottom: 6px; margin-top: 4px; }
.hot .chip { white-space: nowrap; }
.suggest { list-style: none; margin: 0; padding: 4px 0; border-top: 1px solid var(--line); background: #fff; }
.suggest button { width: 100%; text-align: left; border: 0; background: transparent; padding: 6px 14px; }
.suggest button:hover, .suggest button:focus-visible { background: var(--soft); }
.composer { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line); background: #fff; }
.composer input { flex: 1; min-width: 0; border: 1px solid #d1d5db; border-radius: 18px; padding: 8px 14px; }
.composer input:focus-visible { outline: 2px solid var(--accent); outline-offset: 0; }
.send { border: 0; border-radius: 18px; padding: 0 16px; background: var(--accent); color: #fff; font-weight: 600; }
`;
