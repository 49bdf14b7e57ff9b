/** Chinese numerals as shoppers write them: 两, 三十五, 一百二, 3千, 十一. */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** A numeral written in Arabic digits, Chinese, or a mix; for use inside larger patterns. */
export const NUMERAL = "(?:\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千万]+|\\d+[十百千万])";

/** Parses an Arabic, Chinese or mixed numeral; NaN when it is none. */
export function parseNumeral(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const mixed = /^(\d+)([十百千万])$/.exec(text);
  if (mixed) return Number(mixed[1]) * UNITS[mixed[2]!]!;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!;
    } else if (ch === "万") {
      total += (section + (digit ?? 0)) * 10000;
      section = 0;
      digit = null;
      lastUnit = 10000;
    } else if (ch in UNITS) {
      section += (digit ?? 1) * UNITS[ch]!;
      digit = null;
      lastUnit = UNITS[ch]!;
    } else {
      return Number.NaN;
    }
  }
  // 一百二 = 120 and 三千五 = 3500: a trailing digit counts a tenth of the last unit.
  if (digit !== null) section += lastUnit >= 100 && lastUnit < 10000 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}
