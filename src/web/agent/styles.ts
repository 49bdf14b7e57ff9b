/** The workbench's styles (served as /agent.css). */
export const AGENT_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; font: 14px/1.5 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2328; background: #f4f4f5; }
button, input, select, textarea { font: inherit; color: inherit; }
button { cursor: pointer; border: 1px solid #d4d4d8; background: #fff; border-radius: 6px; padding: 4px 12px; }
button:disabled { opacity: .6; cursor: default; }
input, select, textarea { border: 1px solid #d4d4d8; border-radius: 6px; padding: 4px 8px; background: #fff; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.muted { color: #71717a; font-size: 12px; }
.hint { padding: 24px; }
.primary { background: #e8590c; border-color: #e8590c; color: #fff; }
.danger { border-color: #dc2626; color: #b91c1c; }
.link { border: 0; background: transparent; color: #c2410c; text-decoration: underline; }
.small { padding: 1px 8px; font-size: 12px; }
.error { color: #b91c1c; min-height: 1.5em; margin: 0; }

.login { max-width: 340px; margin: 12vh auto; background: #fff; padding: 28px; border-radius: 12px; display: flex; flex-direction: column; gap: 8px; box-shadow: 0 4px 20px rgba(0,0,0,.08); }
.login h1 { margin: 0 0 8px; font-size: 20px; }
.login button { margin-top: 8px; padding: 8px; }

.shell { display: flex; flex-direction: column; height: 100vh; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #e4e4e7; }
.bar h1 { margin: 0 12px 0 0; font-size: 17px; color: #e8590c; }
.me { font-weight: 600; }
.conn { font-size: 12px; color: #15803d; }
.conn[data-state="down"], .conn[data-state="connecting"] { color: #b91c1c; }
.alert { display: flex; gap: 12px; align-items: center; padding: 8px 16px; background: #fef3c7; color: #92400e; font-weight: 600; animation: flash 1s ease-in-out 3; }
@keyframes flash { 50% { background: #fde68a; } }
.toast { margin: 0; padding: 2px 16px; min-height: 1.5em; font-size: 12px; color: #52525b; }
.layout { flex: 1; min-height: 0; display: grid; grid-template-columns: 290px minmax(0, 1fr) 300px; }
@media (max-width: 1000px) { .layout { grid-template-columns: 240px minmax(0, 1fr); } .side-wrap { grid-column: 1 / -1; } }
.list { overflow-y: auto; border-right: 1px solid #e4e4e7; background: #fff; }
.list h2 { font-size: 14px; margin: 0; padding: 10px 12px; border-bottom: 1px solid #e4e4e7; }
.conv-list { list-style: none; margin: 0; padding: 0; }
.conv-list li { border-bottom: 1px solid #f4f4f5; padding: 6px 8px; display: flex; flex-direction: column; gap: 4px; }
.conv-list .empty { padding: 16px 12px; }
.conv-item { width: 100%; text-align: left; border: 1px solid transparent; display: grid; grid-template-columns: 1fr auto auto; gap: 2px 6px; padding: 6px 8px; }
.conv-item.current { border-color: #fb923c; background: #fff7ed; }
.conv-item.new { animation: flash 1s ease-in-out 4; border-color: #f59e0b; }
.conv-item .name { font-weight: 600; }
.conv-item .reason, .conv-item .last, .conv-item .timer { grid-column: 1 / -1; font-size: 12px; color: #52525b; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.conv-item .timer { color: #a16207; }
.unread { background: #dc2626; color: #fff; border-radius: 10px; padding: 0 7px; font-size: 12px; }
.accept { align-self: flex-start; }
.pill { font-size: 12px; border-radius: 10px; padding: 0 8px; background: #e4e4e7; white-space: nowrap; }
.pill-offered { background: #fde68a; }
.pill-active { background: #bbf7d0; }
.detail { overflow-y: auto; min-width: 0; }
.conv { display: flex; flex-direction: column; gap: 10px; padding: 12px 16px; }
.conv-head { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.conv-head h2 { margin: 0; font-size: 17px; }
.context { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 8px 12px; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
.facts dt { color: #71717a; }
.facts dd { margin: 0; word-break: break-word; }
.transcript { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.m { background: #fff; border: 1px solid #e4e4e7; border-radius: 8px; padding: 6px 10px; display: flex; flex-direction: column; gap: 4px; max-width: 720px; }
.m .who { font-size: 12px; font-weight: 600; color: #52525b; }
.m.user { border-left: 4px solid #3b82f6; }
.m.bot { border-left: 4px solid #a1a1aa; }
.m.agent { border-left: 4px solid #e8590c; }
.m.system { background: transparent; border: 0; color: #71717a; font-size: 12px; }
.r-text { margin: 0; white-space: pre-wrap; word-break: break-word; }
.trace { margin: 0; font-size: 12px; color: #7c3aed; }
.chips, .canned { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { border-radius: 14px; font-size: 12px; border-color: #fdba74; color: #c2410c; }
.order-list { list-style: none; padding: 0; margin: 4px 0; }
.order-pick { display: flex; flex-wrap: wrap; gap: 6px; text-align: left; width: 100%; margin-bottom: 4px; }
.order-meta, .brand, .stock { font-size: 12px; color: #71717a; }
.card { border: 1px solid #e4e4e7; border-radius: 8px; padding: 6px 10px; max-width: 420px; }
.card-head { display: flex; justify-content: space-between; gap: 8px; }
.items { margin: 4px 0; padding-left: 18px; font-size: 13px; }
.product-card { display: flex; gap: 10px; }
.product-card img { width: 64px; height: 64px; border-radius: 6px; }
.product-body { display: flex; flex-direction: column; }
.price { color: #dc2626; font-weight: 600; margin-left: 6px; }
.timeline { margin: 4px 0; padding-left: 18px; font-size: 12px; }
.timeline li { display: flex; gap: 8px; flex-wrap: wrap; }
.timeline li.latest { font-weight: 600; }
.queue { margin: 0; font-size: 12px; color: #92400e; }
.tools { border-top: 1px solid #e4e4e7; padding-top: 8px; display: flex; flex-direction: column; gap: 8px; }
.tools h3 { margin: 0; font-size: 13px; }
.suggest-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.suggest-list li { background: #fff; border: 1px solid #e4e4e7; border-radius: 8px; padding: 6px 10px; }
.suggest-list p { margin: 2px 0 4px; font-size: 13px; color: #3f3f46; }
.composer { display: flex; gap: 8px; align-items: flex-end; position: sticky; bottom: 0; background: #f4f4f5; padding: 8px 0; border-top: 1px solid #e4e4e7; }
.composer textarea { flex: 1; resize: vertical; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.row label { font-size: 13px; color: #52525b; min-width: 64px; }
.row input { flex: 1; min-width: 120px; }
.side-wrap { overflow-y: auto; border-left: 1px solid #e4e4e7; background: #fff; }
.side { padding: 10px 14px; }
.side h2 { font-size: 14px; margin: 12px 0 6px; }
.orders, .tickets { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.order { border: 1px solid #e4e4e7; border-radius: 8px; padding: 6px 8px; display: flex; flex-direction: column; gap: 2px; font-size: 13px; }
.order button { align-self: flex-start; margin-top: 2px; }
.status { font-size: 12px; }
.status-shipped { color: #1d4ed8; }
`;
