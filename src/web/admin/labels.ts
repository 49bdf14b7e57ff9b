/** How the console names the API's codes in Chinese (unknown codes are shown as they are). */
import { reasonZh } from "../agent/labels.js";

export { reasonZh };

/** The intent model's 24 labels, in the order of the model's manifest. */
export const INTENTS: { id: string; name: string }[] = [
  { id: "account", name: "账户问题" },
  { id: "cancel_order", name: "取消订单" },
  { id: "chitchat", name: "闲聊" },
  { id: "complaint", name: "投诉" },
  { id: "delivery_problem", name: "配送异常" },
  { id: "exchange", name: "换货" },
  { id: "farewell", name: "道别" },
  { id: "greeting", name: "问候" },
  { id: "human_agent", name: "转人工" },
  { id: "invoice", name: "发票" },
  { id: "logistics", name: "物流查询" },
  { id: "modify_address", name: "修改地址" },
  { id: "order_status", name: "订单状态" },
  { id: "out_of_scope", name: "超出范围" },
  { id: "payment", name: "支付" },
  { id: "product_info", name: "商品信息" },
  { id: "product_usage", name: "使用方法" },
  { id: "promotion", name: "优惠活动" },
  { id: "refund_progress", name: "退款进度" },
  { id: "repair_warranty", name: "维修保修" },
  { id: "return_refund", name: "退货退款" },
  { id: "shipping_time", name: "发货时间" },
  { id: "size_advice", name: "尺码建议" },
  { id: "stock", name: "库存" },
];

const INTENT_ZH = new Map(INTENTS.map((i) => [i.id, i.name]));
/** "物流查询（logistics）"; an intent the list does not know by its code alone. */
export const intentZh = (id: string) => (INTENT_ZH.has(id) ? `${INTENT_ZH.get(id)}（${id}）` : id);

const CATEGORY_ZH: Record<string, string> = {
  account: "账户",
  coupons: "优惠券",
  fresh: "生鲜",
  invoice: "发票",
  membership: "会员",
  payment: "支付",
  price_protection: "价格保护",
  privacy: "隐私",
  returns: "退换货",
  service: "客服与服务",
  shipping: "配送",
  warranty: "保修",
};
/** "配送（shipping）" for the categories the shop has; a new one by its code. */
export const categoryZh = (c: string) => (CATEGORY_ZH[c] ? `${CATEGORY_ZH[c]}（${c}）` : c);

const or = (map: Record<string, string>, code: string | null | undefined) => (code ? (map[code] ?? code) : "");

const CLUSTER_STATUS_ZH: Record<string, string> = { open: "待处理", resolved: "已处理", rejected: "已忽略", merged: "已合并" };
const RUN_STATUS_ZH: Record<string, string> = { queued: "排队中", running: "进行中", done: "已完成", failed: "失败" };
const STAGE_ZH: Record<string, string> = { dedupe: "合并重复问题", lexical: "字面特征", neighbours: "查找近邻", summarize: "归纳分组", embed: "计算句向量", split: "切分成组" };
const RETRAIN_STATUS_ZH: Record<string, string> = { queued: "排队中", running: "训练中", swapped: "已换上新模型", refused: "保留原模型", failed: "失败" };
const ACTION_ZH: Record<string, string> = { entry: "新建知识", attach: "归入已有知识", intent: "作为意图训练", reject: "忽略", merge: "合并" };
const VERSION_ACTION_ZH: Record<string, string> = { create: "新建", update: "修改", delete: "删除", load: "从知识文件载入" };

export const clusterStatusZh = (s: string) => or(CLUSTER_STATUS_ZH, s);
export const runStatusZh = (s: string) => or(RUN_STATUS_ZH, s);
export const stageZh = (s: string) => or(STAGE_ZH, s);
export const retrainStatusZh = (s: string) => or(RETRAIN_STATUS_ZH, s);
export const actionZh = (s: string) => or(ACTION_ZH, s);
export const versionActionZh = (s: string) => or(VERSION_ACTION_ZH, s);

/**
 * Who changed something: "admin:li.lei" → "管理员 li.lei", "maintainer:ag_…" → "维护人员 ag_…"
 * (the API names maintainers by id only), or "我" when it is `me`, the signed-in account.
 */
export function whoZh(by: string | null | undefined, me?: string | null): string {
  if (!by) return "";
  if (me && by === me) return "我";
  const [kind, ...rest] = by.split(":");
  const name = rest.join(":");
  if (kind === "admin") return name ? `管理员 ${name}` : "管理员";
  if (kind === "maintainer") return `维护人员 ${name}`;
  if (kind === "files") return "知识文件";
  return by;
}

/** Field names of the knowledge and review forms, as the API names them in validation errors. */
export const FIELD_ZH: Record<string, string> = {
  id: "编号",
  question: "标准问题",
  similar: "相似问法",
  answer: "答案",
  category: "分类",
  tags: "标签",
  enabled: "启用",
  validUntil: "有效期",
  quickReplies: "快捷按钮",
  link: "链接",
  entryId: "知识编号",
  intent: "意图",
  questionIds: "问题",
  toClusterId: "目标分组",
  ids: "分组",
};

/** The API's own validation messages (src/kb/entries.ts) in Chinese. */
const MESSAGE_ZH: [RegExp, string][] = [
  [/kebab-case/, "只能用小写字母、数字和连字符，例如 engraving-service"],
  [/question is too short/, "太短了，至少 2 个字"],
  [/answer is too short/, "太短了，至少 2 个字"],
  [/lower_snake_case/, "只能用小写字母和下划线"],
  [/YYYY-MM-DD/, "日期格式应为 YYYY-MM-DD"],
  [/payload must look like/, "按钮动作应形如 /name 或 /name{…}"],
  [/exists already|already exists/, "这个编号已经有了，请换一个"],
  [/Invalid URL|Invalid url/i, "不是有效的网址"],
];
export function messageZh(message: string): string {
  for (const [pattern, zh] of MESSAGE_ZH) if (pattern.test(message)) return zh;
  return message;
}
