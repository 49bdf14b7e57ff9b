/** The demo shop's page styles (the widget brings its own, inside its shadow root). */
export const SHOP_CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2328; background: #fafaf9; }
a { color: #c2410c; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.top { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; padding: 12px 20px; background: #fff; border-bottom: 1px solid #e7e5e4; }
.logo { font-size: 22px; font-weight: 700; color: #e8590c; text-decoration: none; }
.visitor { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; font-size: 14px; }
.visitor select, .visitor button { font: inherit; padding: 4px 8px; border: 1px solid #d6d3d1; border-radius: 6px; background: #fff; }
.visitor button { background: #e8590c; border-color: #e8590c; color: #fff; cursor: pointer; }
.demo-note { margin: 0; padding: 8px 20px; background: #fff7ed; color: #7c2d12; font-size: 13px; }
main { max-width: 1100px; margin: 0 auto; padding: 20px; }
h1 { font-size: 22px; }
.grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 16px; }
.product a { display: flex; flex-direction: column; gap: 4px; padding: 10px; background: #fff; border: 1px solid #e7e5e4; border-radius: 12px; color: inherit; text-decoration: none; height: 100%; }
.product a:hover { border-color: #fb923c; }
.product img { width: 100%; height: auto; border-radius: 8px; }
.cat { font-size: 12px; color: #78716c; }
.name { font-weight: 600; }
.price { color: #dc2626; font-weight: 700; }
.price.big { font-size: 26px; margin: 4px 0; }
.out { color: #b91c1c; font-size: 13px; }
.in { color: #15803d; }
.crumbs { font-size: 13px; color: #78716c; }
.detail-grid { display: grid; grid-template-columns: minmax(0, 400px) 1fr; gap: 24px; }
.detail-grid img { width: 100%; height: auto; border-radius: 12px; }
@media (max-width: 700px) { .detail-grid { grid-template-columns: 1fr; } }
.brand { color: #78716c; margin: 0; }
.variants { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
.variants caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
.variants th, .variants td { border: 1px solid #e7e5e4; padding: 4px 10px; text-align: left; }
.specs { display: grid; grid-template-columns: auto 1fr; gap: 4px 16px; }
.specs dt { color: #78716c; }
.specs dd { margin: 0; }
.usage { white-space: pre-wrap; }
.ask { margin-top: 20px; padding: 10px 12px; background: #fff7ed; border-radius: 8px; }
pre { background: #1c1917; color: #fafaf9; padding: 14px; border-radius: 8px; overflow-x: auto; font-size: 13px; }
.foot { text-align: center; padding: 30px 20px 90px; font-size: 13px; color: #78716c; }
`;
