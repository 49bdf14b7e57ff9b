/** 尺码推荐: the size from height and weight (clothing) or foot length (shoes) against the product's own chart. */
import type { SizeChartRowJson } from "../../db/schema.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

/** Foot length in mm from 脚长25 / 25.5cm / 245mm / 24.5厘米. */
export function footLength(text: string): number | null {
  const m =
    /(?:脚长|脚的长度|脚)[^\d]{0,4}(\d{2,3}(?:\.\d)?)\s*(mm|毫米|cm|厘米|公分)?/.exec(text) ??
    /(\d{3}(?:\.\d)?)\s*(mm|毫米)/.exec(text) ??
    /(?<![\d.])(2\d(?:\.\d)?)\s*(cm|厘米|公分)/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const mm = m[2] === "mm" || m[2] === "毫米" || n > 100 ? n : n * 10;
  return mm >= 180 && mm <= 320 ? mm : null;
}

const within = (v: number, range?: [number, number]) => !!range && v >= range[0] && v <= range[1];

/** The best size for a body, preferring the weight when height and weight disagree (fit follows girth). */
export function recommendSize(chart: SizeChartRowJson[], body: { heightCm?: number; weightKg?: number; footMm?: number }): { size: string; note: string } | null {
  if (body.footMm !== undefined) {
    const row = chart.find((r) => within(body.footMm!, r.footLengthMm)) ?? chart.find((r) => r.footLengthMm && body.footMm! < r.footLengthMm[0]);
    return row ? { size: row.size, note: within(body.footMm, row.footLengthMm) ? "" : "脚长在两个码之间，选大一码穿着更舒服。" } : null;
  }
  const { heightCm = 0, weightKg = 0 } = body;
  const byWeight = chart.findIndex((r) => within(weightKg, r.weightKg));
  const byHeight = chart.findIndex((r) => within(heightCm, r.heightCm));
  if (byWeight < 0 && byHeight < 0) {
    const first = chart[0]?.weightKg;
    if (first && weightKg < first[0]) return { size: chart[0]!.size, note: "您偏瘦，最小码可能也略宽松。" };
    return null;
  }
  const index = Math.max(byWeight, byHeight);
  const note = byWeight >= 0 && byHeight >= 0 && byWeight !== byHeight ? "身高和体重对应的尺码不一样，按大的推荐，穿着不会紧。" : "";
  return { size: chart[index]!.size, note };
}

export const sizeAdvice = defineForm({
  name: "size_advice",
  intent: "size_advice",
  whileWaiting: true,
  title: "尺码推荐",
  slots: [
    {
      name: "product",
      kind: "product",
      prompt: "您想看哪件衣服或鞋子的尺码？发商品名称给我。",
      check: (p) => (p.sizeChart?.length ? null : `${p.name}没有尺码之分，不用选尺码哦。`),
      derive: (p) => ({ fit: p.sizeChart!.some((r) => r.footLengthMm) ? "foot" : "body" }),
    },
    {
      name: "height",
      kind: "number",
      entity: "height",
      when: (s) => s.fit === "body",
      range: [120, 210],
      invalid: "身高请用厘米告诉我，例如 170。",
      prompt: "请问您的身高和体重是多少？例如：170cm 65kg。",
    },
    {
      name: "weight",
      kind: "number",
      entity: "weight",
      when: (s) => s.fit === "body",
      range: [30, 150],
      invalid: "体重请用公斤或斤告诉我，例如 65kg 或 130斤。",
      prompt: "体重大概多少呢？例如 65kg。",
    },
    {
      name: "foot",
      kind: "number",
      when: (s) => s.fit === "foot",
      extract: footLength,
      range: [180, 320],
      invalid: "脚长请用厘米或毫米告诉我，例如 脚长25厘米。",
      prompt: "请问您的脚长是多少？站立时从脚后跟量到最长的脚趾，例如：脚长25厘米。",
    },
  ],
  async action(turn, slots) {
    const product = (await turn.shop.product(String(slots.product)))!;
    const chart = product.sizeChart ?? [];
    const body =
      slots.fit === "foot" ? { footMm: Number(slots.foot) } : { heightCm: Number(slots.height), weightKg: Number(slots.weight) };
    const advice = recommendSize(chart, body);
    if (!advice) {
      return {
        replies: [text(`按${product.name}的尺码表，没有特别合适您的尺码，建议转人工客服帮您看看，或者参考商品页的详细尺寸。`)],
        result: { productId: product.id, size: null },
      };
    }
    const left = product.variants.filter((v) => v.size === advice.size).reduce((s, v) => s + v.stock, 0);
    const row = chart.find((r) => r.size === advice.size);
    const measures = row?.measurements ? Object.entries(row.measurements).map(([k, v]) => `${k}${v}cm`).join("，") : "";
    const who = slots.fit === "foot" ? `脚长 ${Number(slots.foot)}mm` : `身高 ${Number(slots.height)}cm、体重 ${Number(slots.weight)}kg`;
    const stockNote = left > 0 ? "这个码现在有货。" : "不过这个码暂时没货了，可以点“到货通知”。";
    return {
      replies: [text(`${who}，${product.name}建议选 ${advice.size} 码${measures ? `（${measures}）` : ""}。${advice.note}${stockNote}`)],
      result: { productId: product.id, size: advice.size, inStock: left > 0 },
    };
  },
});
