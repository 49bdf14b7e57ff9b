/**
 * Short answers inside a form that the intent model is not built for: yes/no, "never mind",
 * "the second one", "the latest one", corrections, the last four phone digits.
 * All functions take the normalised text (lower case, half-width, Simplified).
 */
import { parseNumeral } from "../nlp/chinese-numbers.js";

const strip = (text: string) => text.replace(/[\s,.!?;:~，。！？、；：…]+/g, "");

const CANCEL =
  /^(算了|算啦|不要了|不用了|不需要了|先?不(?:要|用|需要|取消|退|换|改|开|查|弄|办|买|修)了|先不了|取消吧|放弃|不想要了|没事了|没事|先这样)(吧|啦|了|哈|呀|呢|谢谢|算了|不用了|(我)?(先|还是)?不(要|用|需要|取消|退|换|改|开|查|弄|办|买)了?)*$/;

const dropFillers = (clause: string) => clause.replace(/^(那就|那我|那|还是|嗯|哦|呃|额)+/, "");

/**
 * 算了 / 不要了 / 不用了, alone or opening or closing a short message (算了，我先自己重启试试;
 * 找到了，不用了): the shopper drops the current form. 算了下运费 is not one.
 */
export function isCancel(text: string): boolean {
  if (strip(text).length > 20) return false;
  const clauses = text.split(/[\s,.!?;:~，。！？、；：…]+/).filter(Boolean).map(dropFillers);
  if (clauses.length === 0) return false;
  return CANCEL.test(clauses[0]!) || CANCEL.test(clauses.at(-1)!) || CANCEL.test(dropFillers(strip(text)));
}

const YES = /^(是|是的|是啊|对|对的|对啊|嗯|嗯嗯|恩|好|好的|好滴|好嘞|好啊|行|行的|可以|可以的|确认|确定|没问题|没错|ok|okay|yes|y|要|需要|麻烦了|麻烦你了|确认取消|确认提交|提交|办吧|就这个|就这样)/;
const NO = /^(不|否|别|不是|不对|不行|不要|不用|不确认|no|n|再想想|等等|等一下|先别|先不|算了|还是算了)/;

/** true = yes, false = no, null = neither. */
export function yesNo(text: string): boolean | null {
  // Leading fillers (呃, 啊, 那) say nothing; 嗯 alone is a yes, so it stays.
  const t = strip(text).replace(/^(呃|额|啊|哦|噢|那个|那)+/, "");
  if (!t || t.length > 14) return null;
  if (NO.test(t)) return false;
  if (YES.test(t)) return true;
  return null;
}

/** 不对 / 不是 / 错了 / 改成: the shopper corrects something said before. */
export function isCorrection(text: string): boolean {
  return /(不对|不是|错了|弄错|搞错|说错|改成|改为|换成|应该是)/.test(text);
}

/**
 * Which of `count` offered choices the shopper means: 第二个 / 2 / 最后一个 / 最近那单 / 最早的.
 * Returns a 0-based index or null.
 */
export function ordinal(text: string, count: number): number | null {
  const t = strip(text);
  if (count === 0) return null;
  if (/(最近|最新|刚刚|刚才|刚买|刚下)的?(那|这)?(一)?(单|个|笔|件)?/.test(t) && t.length <= 10) return 0;
  if (/(最后|最末)(那|这)?(一)?(个|单|笔|件)/.test(t)) return count - 1;
  if (/(最早|最老|最先|第一次)/.test(t)) return count - 1;
  const m = /第\s*([0-9一二两三四五六七八九十]+)\s*(个|单|笔|件|项|条|种)?/.exec(t) ?? /^([0-9一二两三四五六七八九十])(个|单|笔|号)?$/.exec(t);
  if (!m) return null;
  const n = parseNumeral(m[1]!);
  return Number.isInteger(n) && n >= 1 && n <= count ? n - 1 : null;
}

/** The last four digits of a phone number, when the message is (mostly) just that. */
export function phoneDigits(text: string): string | null {
  const m = /(?:^|[^\d])(\d{4})(?:[^\d]|$)/.exec(text);
  if (!m) return null;
  return strip(text).length <= 16 ? m[1]! : null;
}
