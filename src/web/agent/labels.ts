/** How the workbench names codes from the API in Chinese (unknown codes are shown as they are). */
import { emotionLabelZh } from "../../dialogue/escalation.js";
import { RULE_ZH } from "../../routing/rules.js";
import type { AgentStatus } from "../shared/types.js";

export { emotionLabelZh };

export const STATUS_ZH: Record<AgentStatus, string> = { online: "在线", busy: "忙碌", away: "离开", offline: "离线" };

const REASON_ZH: Record<string, string> = {
  requested: "顾客要求转人工",
  complaint: "投诉",
  anger: "情绪激动（愤怒）",
  anxiety: "焦虑",
  insult: "辱骂",
  threat: "威胁投诉/曝光",
  safety: "安全问题",
  repeated_question: "同一问题反复问",
  message_burst: "短时间连续发消息",
  rising_intensity: "情绪越来越激动",
  vip_human_first: "VIP 人工优先",
  human_only: "本渠道仅人工",
  delivery_problem: "配送问题",
  unhandled: "机器人没能解决",
};

const HANDOFF_STATUS_ZH: Record<string, string> = { waiting: "排队中", offered: "待接入", active: "接待中", closed: "已结束", abandoned: "顾客已离开" };

const CHANNEL_ZH: Record<string, string> = { web: "网页", app: "App", wechat: "微信", api: "API" };

export const GROUPS: { id: string; name: string }[] = [
  { id: "after_sale", name: "售后组" },
  { id: "pre_sale", name: "售前组" },
  { id: "complaints", name: "投诉组" },
  { id: "vip", name: "VIP 组" },
  { id: "senior", name: "资深组" },
];

const or = (map: Record<string, string>, code: string | null | undefined) => (code ? (map[code] ?? code) : "");

export const reasonZh = (code: string) => or(REASON_ZH, code);
export const handoffStatusZh = (code: string) => or(HANDOFF_STATUS_ZH, code);
export const channelZh = (code: string) => or(CHANNEL_ZH, code);
export const ruleZh = (code: string | null) => or(RULE_ZH, code);
