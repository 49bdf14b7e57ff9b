/** 修改地址: before shipping, the shopper types the new address; the bot confirms and changes it. */
import type { PostalAddress } from "../../db/schema.js";
import { changeOrderAddress } from "../../shop/orders.js";
import { maskAddress } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { orderName, shippedOn } from "./common.js";

const PLACE = /(省|市|区|县|镇|乡|村|街道|路|街|道|巷|弄|号|栋|幢|单元|室|小区|大厦|公寓|花园)/;

const MUNICIPALITIES = ["北京", "上海", "天津", "重庆"];
const PROVINCES = [
  ...MUNICIPALITIES,
  "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
  "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
];
const PROVINCE_SUFFIX = /^(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)/;

/**
 * Reads a typed address: 浙江省杭州市西湖区文三路259号 → province/city/district/detail; the province
 * may be left out (杭州市西湖区…) and then stays as it was. A mobile number and a 2–4 character
 * name in the text replace the old ones.
 */
export function parseAddress(raw: string, previous: PostalAddress): PostalAddress {
  let rest = raw.replace(/^(地址|新地址|收货地址)?(改成|改为|换成|是|:)?/, "").trim();
  const phone = /1[3-9]\d{9}/.exec(rest)?.[0];
  if (phone) rest = rest.replace(phone, " ");
  rest = rest.replace(/\s+/g, " ").trim();

  let province = previous.province;
  let city: string | null = null;
  const named = PROVINCES.find((p) => rest.startsWith(p));
  if (named) {
    province = named;
    rest = rest.slice(named.length).replace(PROVINCE_SUFFIX, "");
    if (MUNICIPALITIES.includes(named)) city = `${named}市`;
  }
  if (!city) {
    const m = /^(.{2,10}?(?:市|自治州|地区|盟))/.exec(rest);
    if (m) {
      city = m[1]!;
      rest = rest.slice(city.length);
    }
  }
  const d = /^(.{1,10}?(?:区|县|旗|市))/.exec(rest);
  const district = d && !/[路街道号]/.test(d[1]!) ? d[1]! : null;
  if (district) rest = rest.slice(district.length);

  let detail = rest.trim();
  let name = previous.name;
  const person = /(?:^|\s)([\u4e00-\u9fa5]{2,4})$/.exec(detail) ?? /^([\u4e00-\u9fa5]{2,4})\s/.exec(detail);
  if (person && !PLACE.test(person[1]!)) {
    name = person[1]!;
    detail = detail.replace(person[0], " ").trim();
  }
  return {
    name,
    phone: phone ?? previous.phone,
    province,
    city: city ?? previous.city,
    district: district ?? (city ? "" : previous.district),
    detail: detail.replace(/\s+/g, ""),
  };
}

export const modifyAddress = defineForm({
  name: "modify_address",
  intent: "modify_address",
  title: "修改收货地址",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["unpaid", "paid"],
      check: (order) =>
        order.status === "shipped" || order.status === "delivered"
          ? `${orderName(order)}已于 ${shippedOn(order)} 发货，地址改不了了。可以联系快递员改派，或者让人工客服帮您联系快递。`
          : order.status !== "unpaid" && order.status !== "paid"
            ? `${orderName(order)}目前不能修改地址。`
            : null,
      prompt: "要修改哪个订单的收货地址？",
      none: "您目前没有还没发货的订单，已发货的订单不能修改地址。",
    },
    {
      name: "address",
      kind: "text",
      prompt: "请把新的收货地址发给我，格式例如：浙江省杭州市西湖区文三路259号 昌地大厦11层。收件人或手机号要变的话也一起写上。",
      validate: (value) => {
        const v = String(value);
        if (v.length < 6 || !PLACE.test(v)) return "这个地址好像不太完整，麻烦写到街道和门牌号，例如：杭州市西湖区文三路259号。";
        if (v.length > 120) return "地址有点长，请只写省市区和详细地址。";
        return null;
      },
    },
  ],
  async confirm(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const next = parseAddress(String(slots.address), order.address);
    return [
      quickReplies(
        [
          { label: "确认修改", payload: payload("affirm") },
          { label: "不改了", payload: payload("deny") },
        ],
        `确认把${orderName(order)}的收货地址改成：${maskAddress(next)}（${next.province} ${next.city} ${next.district} ${next.detail}）吗？`,
      ),
    ];
  },
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const next = parseAddress(String(slots.address), order.address);
    await changeOrderAddress(turn.ctx, order.id, next);
    return {
      replies: [text(`改好了，${orderName(order)}会寄到新地址：${maskAddress(next)}。发货后快递信息里也会显示新地址。`)],
      result: { orderId: order.id, city: next.city, district: next.district },
    };
  },
});
