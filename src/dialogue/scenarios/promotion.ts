/** 优惠活动: what the running promotions do for this customer's cart (or unpaid order), or what is on. */
import { activePromotions, cartLines, orderLines, planPromotions, type PromotionPlan } from "../../shop/promotions.js";
import { day, yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

function describePlan(what: string, plan: PromotionPlan): string {
  const using = plan.best.map((o) => `${o.promotion.title}（省 ${yuan(o.savingFen)}）`);
  const close = plan.outcomes
    .filter((o) => o.promotion.kind === "threshold" && o.shortByFen > 0 && !o.vipTooLow)
    .sort((a, b) => a.shortByFen - b.shortByFen)
    .slice(0, 1)
    .map((o) => `再买 ${yuan(o.shortByFen)} 就能用“${o.promotion.title}”`);
  const head = `${what}共 ${yuan(plan.totalFen)}`;
  if (using.length === 0) return `${head}，暂时没有能用的优惠${close.length ? `，${close[0]}` : ""}。`;
  return `${head}，可以用：${using.join("、")}，一共省 ${yuan(plan.savingFen)}，到手 ${yuan(plan.totalFen - plan.savingFen)}。${close.length ? `${close[0]}。` : ""}`;
}

export const promotion = defineForm({
  name: "promotion",
  intent: "promotion",
  whileWaiting: true,
  title: "查询优惠",
  slots: [],
  async action(turn) {
    const promotions = await activePromotions(turn.ctx, turn.now);
    const customer = await turn.shop.customer();
    const list = promotions
      .filter((p) => p.minVipLevel <= (customer?.vipLevel ?? 0) || !customer)
      .map((p) => `· ${p.title}（${p.minVipLevel ? `VIP${p.minVipLevel}及以上，` : ""}${day(p.endsAt)}结束）`);
    const overview = list.length ? `现在正在进行的活动：\n${list.join("\n")}` : "现在没有进行中的店铺活动，关注店铺可以第一时间收到活动通知。";
    if (!customer) return { replies: [text(overview), text("登录后我可以帮您算一下购物车能用哪些优惠。")], result: { promotions: promotions.length } };

    const replies = [];
    const cart = await cartLines(turn.ctx, customer.id);
    if (cart.length > 0) replies.push(text(describePlan("您购物车里的商品", planPromotions(cart, promotions, customer.vipLevel))));
    const unpaid = (await turn.shop.orders()).filter((o) => o.status === "unpaid");
    for (const order of unpaid.slice(0, 2)) {
      const plan = planPromotions(await orderLines(turn.ctx, order.id), promotions, customer.vipLevel);
      const applied = order.discountFen > 0 ? `已经优惠了 ${yuan(order.discountFen)}，` : "";
      replies.push(text(`待付款订单 ${order.id}：${applied}${describePlan("商品", plan)}下单时系统会自动用上最优惠的组合。`));
    }
    replies.push(text(overview));
    return { replies, result: { promotions: promotions.length, cartLines: cart.length, unpaidOrders: unpaid.length } };
  },
});
