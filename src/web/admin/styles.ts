/** The maintainer console's styles (served as /admin.css). */
export const ADMIN_CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 14px/1.55 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2328; background: #f4f4f5; }
button, input, select, textarea { font: inherit; color: inherit; }
button, .button { cursor: pointer; border: 1px solid #d4d4d8; background: #fff; border-radius: 6px; padding: 4px 12px; color: inherit; text-decoration: none; display: inline-block; }
button:disabled { opacity: .6; cursor: default; }
input, select, textarea { border: 1px solid #d4d4d8; border-radius: 6px; padding: 4px 8px; background: #fff; }
input[readonly] { background: #f4f4f5; }
[aria-invalid="true"] { border-color: #dc2626; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
[hidden] { display: none !important; }
a { color: #c2410c; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.muted { color: #71717a; font-size: 12px; }
.hint { padding: 24px; }
.primary { background: #e8590c; border-color: #e8590c; color: #fff; }
.danger { border-color: #dc2626; color: #b91c1c; }
.link { border: 0; background: transparent; color: #c2410c; text-decoration: underline; }
.error, .field-error { color: #b91c1c; margin: 0; min-height: 1.2em; }
.field-error:empty { min-height: 0; }
.form-error:not(:empty) { color: #b91c1c; background: #fef2f2; border: 1px solid #fecaca; border-radius: 8px; padding: 8px 12px; }
.form-error.conflict { color: #92400e; background: #fffbeb; border-color: #fde68a; }
.form-error p { margin: 0 0 6px; }

.login { max-width: 380px; margin: 10vh auto; background: #fff; padding: 28px; border-radius: 12px; display: flex; flex-direction: column; gap: 10px; box-shadow: 0 4px 20px rgba(0,0,0,.08); }
.login h1 { margin: 0; font-size: 20px; }
.login-form { display: flex; flex-direction: column; gap: 6px; }
.login-form button { margin-top: 8px; padding: 8px; }
.key-login summary { cursor: pointer; color: #52525b; }

.shell { min-height: 100vh; display: flex; flex-direction: column; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 14px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #e4e4e7; }
.bar h1 { margin: 0; font-size: 17px; color: #e8590c; }
.tabs { display: flex; gap: 4px; flex: 1; flex-wrap: wrap; }
.tab { padding: 6px 12px; border-radius: 6px; color: #3f3f46; text-decoration: none; }
.tab[aria-current="page"] { background: #fff7ed; color: #c2410c; font-weight: 600; box-shadow: inset 0 -2px 0 #e8590c; }
.me { font-weight: 600; }
.toast { margin: 0; padding: 4px 16px; min-height: 1.6em; font-size: 13px; color: #166534; background: #f0fdf4; }
.toast:empty { background: transparent; }
.screen { padding: 16px; max-width: 1280px; width: 100%; margin: 0 auto; outline: none; }
.panel { background: #fff; border: 1px solid #e4e4e7; border-radius: 10px; padding: 14px 18px; }
.panel h2 { margin: 0 0 8px; font-size: 18px; }
.panel h3 { margin: 18px 0 8px; font-size: 15px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.run-status { margin: 0; color: #3f3f46; }
.run-status[data-run-status="failed"] { color: #b91c1c; }
.pill { font-size: 12px; border-radius: 10px; padding: 1px 8px; background: #e4e4e7; }
.pill-open { background: #fde68a; }
.pill-resolved { background: #bbf7d0; }
.empty { padding: 12px 0; }

.grid-table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
.grid-table th, .grid-table td { border-bottom: 1px solid #f0f0f2; padding: 6px 8px; text-align: left; vertical-align: top; }
.grid-table thead th { background: #fafafa; color: #52525b; font-weight: 600; white-space: nowrap; }
.grid-table .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.grid-table tbody tr:hover { background: #fffbeb; }
.cluster-label { font-weight: 600; }
.ids { word-break: break-all; }
.pager { display: flex; gap: 10px; align-items: center; justify-content: flex-end; margin-top: 8px; font-size: 13px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 6px 0; font-size: 13px; }
.facts dt { color: #71717a; }
.facts dd { margin: 0; word-break: break-word; white-space: pre-wrap; }

.actions-box { margin-top: 12px; border-top: 1px solid #e4e4e7; }
.tablist { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid #e4e4e7; }
.tablist [role="tab"] { border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; background: transparent; padding: 6px 14px; }
.tablist [role="tab"][aria-selected="true"] { border-color: #e4e4e7; background: #fff; color: #c2410c; font-weight: 600; margin-bottom: -1px; }
.tabpanel { padding: 12px 0; outline: none; }
.editor { display: flex; flex-direction: column; gap: 10px; max-width: 760px; }
.field { display: flex; flex-direction: column; gap: 3px; }
.field > label { font-weight: 600; font-size: 13px; }
.field.check { flex-direction: row; align-items: center; gap: 8px; }
.field.check label { font-weight: normal; }
.field .muted { margin: 0; }
textarea { resize: vertical; }
.editor > button[type="submit"], .actions > button { align-self: flex-start; }
.choices { display: flex; flex-direction: column; gap: 4px; }
.choice { display: flex; gap: 8px; align-items: baseline; }
.confirm { display: inline-flex; flex-wrap: wrap; gap: 8px; align-items: center; background: #fef2f2; border: 1px solid #fecaca; border-radius: 8px; padding: 6px 10px; }
.result { border-radius: 8px; padding: 10px 14px; background: #fafafa; outline: none; }
.result.ok { background: #f0fdf4; border: 1px solid #bbf7d0; }
.result p { margin: 4px 0; }
.retrains h4 { margin: 10px 0 4px; }

.entry-layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 16px; align-items: start; }
@media (max-width: 960px) { .entry-layout { grid-template-columns: 1fr; } }
.history .versions { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 6px; font-size: 13px; }
.history summary { cursor: pointer; }

.range input { width: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 14px; margin: 12px 0; }
.chart-box { margin: 0; border: 1px solid #e4e4e7; border-radius: 8px; padding: 10px; }
.chart-box figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: #e4e4e7; stroke-width: 1; }
.chart .axis { fill: #71717a; font-size: 11px; }
.chart .line { fill: none; stroke: #e8590c; stroke-width: 2; }
.chart .pt { fill: #fff; stroke: #e8590c; stroke-width: 2; }
.chart .bar { fill: #fb923c; }
.chart-box details { font-size: 12px; margin-top: 4px; }
.chart-box .data td, .chart-box .data th { padding: 1px 8px; text-align: left; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.card { border: 1px solid #e4e4e7; border-radius: 8px; padding: 8px 12px; display: flex; flex-direction: column; }
.card-label { color: #71717a; font-size: 12px; }
.card-value { font-size: 20px; }

.note { background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 10px 14px; }
.sort { border: 0; background: transparent; padding: 0; font-weight: 600; color: inherit; }
[aria-sort="ascending"] .sort::after { content: " ▲"; }
[aria-sort="descending"] .sort::after { content: " ▼"; }
.f1-table tr.weak th, .f1-table tr.weak .f1 { color: #c2410c; }
.f1 { position: relative; isolation: isolate; width: 140px; }
.f1-bar { position: absolute; left: 0; top: 20%; height: 60%; background: #ffedd5; z-index: -1; border-radius: 2px; }
`;
