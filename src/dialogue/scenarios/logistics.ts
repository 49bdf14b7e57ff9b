/** 物流: the carrier, tracking number and the whole trail; for an order not shipped yet, when it will be. */
import { SHIPMENT_STATUS_TEXT, when } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { orderName, shipDeadline } from "./common.js";

const STALLED_HOURS = 48;

export const logistics = defineForm({
  name: "logistics",
  intent: "logistics",
  whileWaiting: true,
  title: "查询物流",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["paid", "shipped", "delivered", "return_requested", "refunding"],
      check: (order) =>
        order.status === "unpaid"
          ? `${orderName(order)}还没有付款，付款后仓库才会安排发货哦。`
          : order.status === "cancelled"
            ? `${orderName(order)}已经取消了，不会再发货。`
            : null,
      prompt: "您想查哪个订单的物流？",
      none: "您目前没有需要查物流的订单。",
      preferOpen: true,
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.orderDetail(String(slots.order)))!;
    const shipment = order.shipments.at(-1);
    if (!shipment) {
      const by = shipDeadline(order);
      return {
        replies: [text(`${orderName(order)}还在仓库备货，还没有物流信息${by ? `，预计 ${when(by)} 前发出` : ""}，发货后可以随时来查。`)],
        result: { orderId: order.id, shipped: false },
      };
    }
    const events = [...shipment.events].reverse().map((e) => ({ at: e.at.toISOString(), location: e.location, description: e.description }));
    const latest = shipment.events.at(-1);
    const replies = [
      text(
        `${orderName(order)}由${shipment.carrier}配送，运单号 ${shipment.trackingNumber}。` +
          (latest ? `最新动态：${latest.description}（${when(latest.at)}）。` : ""),
      ),
      {
        type: "logistics" as const,
        orderId: order.id,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        status: shipment.status,
        statusText: SHIPMENT_STATUS_TEXT[shipment.status] ?? shipment.status,
        events,
      },
    ];
    const stalledHours = latest ? (turn.now.getTime() - latest.at.getTime()) / 3_600_000 : 0;
    if (shipment.status !== "delivered" && stalledHours > STALLED_HOURS) {
      replies.push(
        text(`这个包裹已经 ${Math.floor(stalledHours / 24)} 天没有更新了，给您添麻烦了。我可以帮您转人工客服联系快递核实。`),
        quickReplies([{ label: "联系人工客服", payload: payload("human") }]),
      );
    }
    return { replies, result: { orderId: order.id, trackingNumber: shipment.trackingNumber, stalled: stalledHours > STALLED_HOURS } };
  },
});
