/** 使用方法: how to use and care for a product, from that product's own notes. */
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

export const productUsage = defineForm({
  name: "product_usage",
  intent: "product_usage",
  whileWaiting: true,
  title: "了解使用方法",
  slots: [
    {
      name: "product",
      kind: "product",
      offerPurchased: true,
      prompt: "别着急，我来帮您。请问是哪个型号呢？型号一般印在机身底部的铭牌或包装盒上，比如 AF-333；也可以直接点您买过的商品：",
    },
  ],
  async action(turn, slots) {
    const product = (await turn.shop.product(String(slots.product)))!;
    const notes = product.usageNotes.trim();
    const replies = notes
      ? [text(`${product.name}的使用方法：\n${notes}`), text("按这个步骤还有问题的话，告诉我具体卡在哪一步，或者让人工客服视频指导您。")]
      : [text(`${product.name}暂时没有整理好的使用说明，我帮您转人工客服详细讲解好吗？`)];
    return { replies, result: { productId: product.id } };
  },
});
