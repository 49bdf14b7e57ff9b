/** 账户: membership level and its benefits, the default address (masked) and an order overview. */
import { ORDER_STATUS_TEXT, maskAddress } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

const VIP_BENEFITS = ["", "生日券、会员价", "生日券、会员价、免费退货运费险、家电95折", "生日券、会员价、免费退货运费险、家电95折、专属客服优先接入"];

export const account = defineForm({
  name: "account",
  intent: "account",
  title: "账户问题",
  slots: [],
  async action(turn) {
    const customer = await turn.shop.customer();
    if (!customer) {
      return {
        replies: [text("账户相关的问题需要先登录哦。登录后从“我的-客服”进来，我就能看到您的会员等级、地址和订单。忘记密码可以在登录页点“忘记密码”，用手机验证码重置。")],
        result: { signedIn: false },
      };
    }
    const orders = await turn.shop.orders();
    const counts = new Map<string, number>();
    for (const o of orders) counts.set(ORDER_STATUS_TEXT[o.status], (counts.get(ORDER_STATUS_TEXT[o.status]) ?? 0) + 1);
    const overview = [...counts].map(([k, n]) => `${k} ${n} 单`).join("，");
    const level = customer.vipLevel > 0 ? `VIP${customer.vipLevel} 会员，享受${VIP_BENEFITS[customer.vipLevel]}` : "普通会员，累计消费满 2000 元自动升级 VIP1";
    const address = customer.defaultAddress ? `默认收货地址：${maskAddress(customer.defaultAddress)}。` : "";
    return {
      replies: [text(`${customer.name}您好，您是${level}。${address}您一共有 ${orders.length} 个订单（${overview}）。修改手机号或地址可以在“我的-账户设置”里操作。`)],
      result: { signedIn: true, vipLevel: customer.vipLevel },
    };
  },
});
