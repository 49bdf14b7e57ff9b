/**
 * Stage 3: entities. Order, phone and tracking numbers, model codes and products from the
 * catalogue (fuzzy), sizes, height and weight, money, quantities, dates and colours.
 * Works on the normalised text (lower case, half-width, Simplified).
 */
import { NUMERAL, parseNumeral } from "./chinese-numbers.js";
import type { Entity, EntityType, ShopLexicon } from "./types.js";

/** Higher wins when two entities overlap. */
const PRIORITY: Record<EntityType, number> = {
  order_number: 100,
  tracking_number: 95,
  phone: 90,
  model_code: 80,
  product: 75,
  money: 70,
  date: 65,
  height: 60,
  weight: 60,
  size: 55,
  quantity: 50,
  color: 45,
};

/** Pairs that may cover the same text: a model code also names its product. */
const COMPATIBLE = new Set(["model_code|product", "product|model_code", "product|color", "color|product"]);

const BASE_COLOURS =
  "酒红|玫瑰金|香槟|藏青|藏蓝|深蓝|浅蓝|天蓝|宝蓝|军绿|墨绿|浅绿|深灰|浅灰|米白|奶白|卡其|咖啡|燕麦|焦糖|黑|白|红|粉|蓝|绿|黄|紫|灰|棕|橙|金|银|青|褐|杏|驼";
const UNIT_WORDS = new Set(["kg", "cm", "mm", "ml", "g", "l", "m", "mah", "w", "v", "hz", "gb", "tb", "pa", "spf", "vip", "top", "a", "x"]);

export interface ProductMatcher {
  /** alias (lower case) -> product id, longest aliases first per first character */
  aliasesByFirstChar: Map<string, { alias: string; productId: string }[]>;
  /** CJK aliases of 4+ characters for typo-tolerant matching */
  fuzzyAliases: { alias: string; productId: string }[];
  /** model-code regex (tolerant of spaces and hyphens) and canonical code per compact form */
  codePattern: RegExp | null;
  codeByCompact: Map<string, { code: string; productId: string }>;
  /** catalogue colour names, lower case, longest first */
  colours: string[];
}

const compact = (s: string) => s.toLowerCase().replace(/[\s\-_]/g, "");
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Precomputes the lookups entity extraction needs from the shop's catalogue. */
export function buildProductMatcher(lexicon: ShopLexicon): ProductMatcher {
  const aliasesByFirstChar = new Map<string, { alias: string; productId: string }[]>();
  const fuzzyAliases: { alias: string; productId: string }[] = [];
  const codeByCompact = new Map<string, { code: string; productId: string }>();
  const codeSources: string[] = [];
  const colours = new Set<string>();
  for (const p of lexicon.products) {
    for (const raw of p.aliases) {
      const alias = raw.toLowerCase();
      const list = aliasesByFirstChar.get(alias[0]!) ?? [];
      if (!list.some((a) => a.alias === alias)) list.push({ alias, productId: p.id });
      aliasesByFirstChar.set(alias[0]!, list);
      if (alias.length >= 4 && /^\p{Script=Han}+$/u.test(alias)) fuzzyAliases.push({ alias, productId: p.id });
    }
    for (const code of p.modelCodes) {
      codeByCompact.set(compact(code), { code, productId: p.id });
      // "AF-333" -> af[\s-]?333 ; "X20 Pro" -> x[\s-]?20[\s-]?pro
      const parts = code.toLowerCase().match(/[a-z]+|\d+/g) ?? [];
      codeSources.push(parts.map(escapeRegex).join("[\\s\\-_]?"));
    }
    for (const c of p.colors) colours.add(c.toLowerCase());
  }
  for (const list of aliasesByFirstChar.values()) list.sort((a, b) => b.alias.length - a.alias.length);
  codeSources.sort((a, b) => b.length - a.length);
  return {
    aliasesByFirstChar,
    fuzzyAliases,
    codePattern: codeSources.length ? new RegExp(`(?<![a-z0-9])(?:${codeSources.join("|")})(?![a-z0-9])`, "g") : null,
    codeByCompact,
    colours: [...colours].sort((a, b) => b.length - a.length),
  };
}

export interface EntityOptions {
  /** "Now", for relative dates. */
  now: Date;
  /** Offset of the shop's time zone from UTC in minutes (Beijing: 480). */
  utcOffsetMinutes?: number;
}

/** Finds every entity in normalised text; overlapping weaker matches are dropped. */
export function extractEntities(text: string, matcher: ProductMatcher, options: EntityOptions): Entity[] {
  const found: Entity[] = [
    ...numbers(text),
    ...modelCodes(text, matcher),
    ...products(text, matcher),
    ...money(text),
    ...dates(text, options),
    ...body(text),
    ...sizes(text),
    ...quantities(text),
    ...colours(text, matcher),
  ];
  return resolveOverlaps(found);
}

function entity(type: EntityType, value: string | number, text: string, start: number): Entity {
  return { type, value, text, start, end: start + text.length };
}

function* matches(text: string, pattern: RegExp) {
  const re = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  for (const m of text.matchAll(re)) yield m;
}

function numbers(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of matches(text, /(?<![a-z0-9])(sf\d{12,13}|yt\d{13}|jdva\d{11}|jd[a-z]?\d{12,13}|jt\d{13}|zto?\d{12,13})(?![a-z0-9])/g)) {
    out.push(entity("tracking_number", m[1]!.toUpperCase(), m[0], m.index));
  }
  for (const m of matches(text, /(?<![\d])(\d{11,20})(?![\d])/g)) {
    const digits = m[1]!;
    if (digits.length === 16 && digits.startsWith("20")) out.push(entity("order_number", digits, m[0], m.index));
    else if (digits.length === 11 && /^1[3-9]/.test(digits)) out.push(entity("phone", digits, m[0], m.index));
    else if (digits.length >= 12 && digits.length <= 15) out.push(entity("tracking_number", digits, m[0], m.index));
    else if (digits.length >= 16 && /订单|单号|order/.test(text)) out.push(entity("order_number", digits, m[0], m.index));
  }
  // Phones written in groups: 138-1660-5288, 138 1660 5288
  for (const m of matches(text, /(?<!\d)(1[3-9]\d)[\s-](\d{4})[\s-](\d{4})(?!\d)/g)) {
    out.push(entity("phone", `${m[1]}${m[2]}${m[3]}`, m[0], m.index));
  }
  return out;
}

function modelCodes(text: string, matcher: ProductMatcher): Entity[] {
  const out: Entity[] = [];
  if (matcher.codePattern) {
    for (const m of matches(text, matcher.codePattern)) {
      const known = matcher.codeByCompact.get(compact(m[0]));
      if (!known) continue;
      out.push(entity("model_code", known.code, m[0], m.index));
      out.push(entity("product", known.productId, m[0], m.index));
    }
  }
  // Codes the catalogue does not know (another shop's, or a typo): letters, optional hyphen, digits.
  for (const m of matches(text, /(?<![a-z0-9])([a-z]{1,5})[-_]?(\d{2,5})([a-z]{0,2})(?![a-z0-9])/g)) {
    if (UNIT_WORDS.has(m[1]!) || out.some((e) => e.start <= m.index && e.end > m.index)) continue;
    out.push(entity("model_code", `${m[1]!.toUpperCase()}-${m[2]}${m[3]!.toUpperCase()}`, m[0], m.index));
  }
  return out;
}

function products(text: string, matcher: ProductMatcher): Entity[] {
  const out: Entity[] = [];
  for (let i = 0; i < text.length; i++) {
    const candidates = matcher.aliasesByFirstChar.get(text[i]!);
    const hit = candidates?.find((c) => text.startsWith(c.alias, i));
    if (hit) {
      out.push(entity("product", hit.productId, hit.alias, i));
      i += hit.alias.length - 1;
    }
  }
  // One wrong character in a 4+ character alias (空汽炸锅, 扫地机器仁), where nothing matched exactly.
  // Shorter aliases are left out: one character off, 跑步鞋 would become 跑步机.
  for (const { alias, productId } of matcher.fuzzyAliases) {
    for (let i = 0; i + alias.length <= text.length; i++) {
      if (out.some((e) => e.start < i + alias.length && e.end > i)) continue;
      let diff = 0;
      for (let k = 0; k < alias.length && diff <= 1; k++) if (text[i + k] !== alias[k]) diff++;
      if (diff === 1) out.push(entity("product", productId, text.slice(i, i + alias.length), i));
    }
  }
  return out;
}

function money(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of matches(text, new RegExp(`[¥￥]\\s*(\\d+(?:\\.\\d{1,2})?)|(${NUMERAL})\\s*(?:元|块钱|块|rmb|人民币)`, "g"))) {
    const value = parseNumeral(m[1] ?? m[2]!);
    if (Number.isFinite(value) && value > 0) out.push(entity("money", value, m[0], m.index));
  }
  return out;
}

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 0 };
const RELATIVE_DAYS: Record<string, number> = { 大前天: -3, 前天: -2, 昨天: -1, 昨日: -1, 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };

function dates(text: string, options: EntityOptions): Entity[] {
  const offset = (options.utcOffsetMinutes ?? 480) * 60_000;
  // "Local midnight" arithmetic on a UTC-shifted clock: getUTC* of `local` are the shop's local fields.
  const local = new Date(options.now.getTime() + offset);
  const today = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const DAY = 86_400_000;
  const out: Entity[] = [];
  const taken = (start: number) => out.some((e) => start >= e.start && start < e.end);

  for (const m of matches(text, /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/g)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) out.push(entity("date", iso(Date.UTC(y, mo - 1, d)), m[0], m.index));
  }
  for (const m of matches(text, new RegExp(`(${NUMERAL})\\s*月\\s*(${NUMERAL})\\s*[日号]?`, "g"))) {
    if (taken(m.index)) continue;
    const [mo, d] = [parseNumeral(m[1]!), parseNumeral(m[2]!)];
    if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) continue;
    let ms = Date.UTC(local.getUTCFullYear(), mo - 1, d);
    if (ms - today > 60 * DAY) ms = Date.UTC(local.getUTCFullYear() - 1, mo - 1, d); // "12月3号" said in January
    out.push(entity("date", iso(ms), m[0], m.index));
  }
  for (const m of matches(text, /(?<![\d月.])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[号](?!码)/g)) {
    if (taken(m.index)) continue;
    const d = parseNumeral(m[1]!);
    if (d >= 1 && d <= 31) out.push(entity("date", iso(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), d)), m[0], m.index));
  }
  for (const m of matches(text, /(上上|上|这|本|下)?\s*(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])/g)) {
    const target = WEEKDAYS[m[2]!]!;
    const current = local.getUTCDay();
    // Weeks start on Monday, as in China.
    const mondayOffset = (current + 6) % 7;
    const weekShift = { 上上: -2, 上: -1, 这: 0, 本: 0, 下: 1 }[m[1] ?? ""] ?? null;
    let delta: number;
    if (weekShift === null) {
      // A bare weekday: the coming one when the shopper talks about the future, else the most recent.
      const future = /能|会|前|之前|可以|送到|到吗/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 4));
      delta = (target - current + 7) % 7;
      if (!future && delta > 0) delta -= 7;
    } else {
      delta = -mondayOffset + weekShift * 7 + ((target + 6) % 7);
    }
    out.push(entity("date", iso(today + delta * DAY), m[0], m.index));
  }
  for (const m of matches(text, /大前天|前天|昨天|昨日|今天|今日|大后天|后天|明天|明日/g)) {
    if (taken(m.index)) continue;
    out.push(entity("date", iso(today + RELATIVE_DAYS[m[0]]! * DAY), m[0], m.index));
  }
  for (const m of matches(text, new RegExp(`(${NUMERAL})\\s*天(前|以前|之前|后|以后|之后)`, "g"))) {
    const n = parseNumeral(m[1]!);
    if (Number.isFinite(n) && n < 400) out.push(entity("date", iso(today + (m[2]!.endsWith("前") ? -n : n) * DAY), m[0], m.index));
  }
  return out;
}

/** Height in cm and weight in kg: 170cm, 1米75, 一米七, 1.75m, 65kg, 130斤, "170 65". */
function body(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of matches(text, /(?<![\d.])(1[3-9]\d|2[0-2]\d)\s*(?:cm|厘米|公分)/g)) out.push(entity("height", Number(m[1]), m[0], m.index));
  for (const m of matches(text, /(?<![\d.])([12])\s*(?:米|m)\s*([0-9]{1,2})(?![\d])|(?<![\d.])([12]\.\d{1,2})\s*(?:米|m)(?![a-z])/g)) {
    const cm = m[3] ? Math.round(Number(m[3]) * 100) : Number(m[1]) * 100 + Number(m[2]!.length === 1 ? `${m[2]}0` : m[2]);
    if (cm >= 100 && cm <= 230) out.push(entity("height", cm, m[0], m.index));
  }
  for (const m of matches(text, /一米([一二三四五六七八九])([一二三四五六七八九])?/g)) {
    out.push(entity("height", 100 + parseNumeral(m[1]!) * 10 + (m[2] ? parseNumeral(m[2]) : 0), m[0], m.index));
  }
  for (const m of matches(text, /(?<![\d.])(\d{2,3}(?:\.\d)?)\s*(kg|公斤|千克|斤)/g)) {
    const value = Number(m[1]);
    const kg = m[2] === "斤" ? value / 2 : value;
    // "5斤装" is a pack size, not a shopper's weight.
    if (kg >= 25 && kg <= 200 && !(m[2] === "斤" && text[m.index + m[0].length] === "装")) out.push(entity("weight", kg, m[0], m.index));
  }
  for (const m of matches(text, /([一二两三四五六七八九十百]{2,6})\s*(公斤|千克|斤)(?!装)/g)) {
    const value = parseNumeral(m[1]!);
    const kg = m[2] === "斤" ? value / 2 : value;
    if (kg >= 25 && kg <= 200) out.push(entity("weight", kg, m[0], m.index));
  }
  // Bare figures after a cue: 身高170 体重65, or the common "170 65" pair.
  for (const m of matches(text, /(?:身高|个子|高)\s*(1[3-9]\d|2[0-2]\d)(?![\d.a-z])/g)) {
    out.push(entity("height", Number(m[1]), m[1]!, m.index + m[0].length - m[1]!.length));
  }
  for (const m of matches(text, /(?:体重|重)\s*(\d{2,3})(?![\d.a-z斤])/g)) {
    out.push(entity("weight", Number(m[1]), m[1]!, m.index + m[0].length - m[1]!.length));
  }
  // A bare height just before a weight with its unit ("170 65kg"), or after 我/本人 ("我175").
  for (const m of matches(text, /(?<![\d.])(1[4-9]\d)(?=\s*[,，/ ]?\s*\d{2,3}(?:\.\d)?\s*(?:kg|公斤|千克|斤))/g)) {
    out.push(entity("height", Number(m[1]), m[1]!, m.index));
  }
  for (const m of matches(text, /(?:我|本人)\s*(?:是|有)?\s*(1[4-9]\d)(?![\d.])/g)) {
    out.push(entity("height", Number(m[1]), m[1]!, m.index + m[0].length - m[1]!.length));
  }
  for (const m of matches(text, /(?<![\d.])(1[4-9]\d)\s*[,，/ ]?\s*(\d{2,3})(?![\d.a-z斤码号元块])/g)) {
    const [h, w] = [Number(m[1]), Number(m[2])];
    if (w >= 35 && w <= 150) {
      out.push(entity("height", h, m[1]!, m.index));
      out.push(entity("weight", w, m[2]!, m.index + m[0].lastIndexOf(m[2]!)));
    }
  }
  return out;
}

function sizes(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of matches(text, /(?<![a-z0-9.])(xxxl|xxl|xl|xs|[2-5]xl|s|m|l)(?![a-z0-9])\s*(?:码|号)?/g)) {
    const size = m[1]!;
    // A lone s/m/l must look like a size: 码/号 after it, or 穿/选/要/换/拿/买/是 before it, or "m还是l".
    if (size.length === 1) {
      const before = text.slice(Math.max(0, m.index - 2), m.index);
      const after = text.slice(m.index + 1, m.index + 4);
      const cue = /^(?:[码号的吗呢有,，?？ ]|还是|或|$)/.test(after) || /[穿选要换拿买是码个]$/.test(before);
      if (!cue || /\d$/.test(before)) continue;
    }
    out.push(entity("size", size.toUpperCase(), m[0].trimEnd(), m.index));
  }
  for (const m of matches(text, /(?<![\d.])(3[3-9]|4[0-8])(\.5)?\s*(?:码|号|yard)/g)) {
    out.push(entity("size", `${m[1]}${m[2] ?? ""}`, m[0], m.index));
  }
  for (const m of matches(text, /(?:穿|选|拿|要|换)\s*(3[3-9]|4[0-8])(\.5)?(?![\d.])/g)) {
    const start = m.index + m[0].indexOf(m[1]!);
    out.push(entity("size", `${m[1]}${m[2] ?? ""}`, `${m[1]}${m[2] ?? ""}`, start));
  }
  return out;
}

function quantities(text: string): Entity[] {
  const out: Entity[] = [];
  const re = new RegExp(`(${NUMERAL})\\s*(个|件|台|箱|瓶|盒|双|条|份|套|支|只|部|袋|包|单|斤|罐|副|张)(?!钱|装)`, "g");
  for (const m of matches(text, re)) {
    const n = parseNumeral(m[1]!);
    if (Number.isFinite(n) && n > 0 && n < 10_000) out.push(entity("quantity", n, m[0], m.index));
  }
  return out;
}

function colours(text: string, matcher: ProductMatcher): Entity[] {
  const out: Entity[] = [];
  for (const name of matcher.colours) {
    let from = 0;
    for (;;) {
      const i = text.indexOf(name, from);
      if (i < 0) break;
      if (!out.some((e) => e.start < i + name.length && e.end > i)) out.push(entity("color", name, name, i));
      from = i + name.length;
    }
  }
  for (const m of matches(text, new RegExp(`(${BASE_COLOURS})(色|的|款)`, "g"))) {
    if (out.some((e) => e.start < m.index + m[0].length && e.end > m.index)) continue;
    const text0 = m[2] === "色" ? m[0] : m[1]!;
    out.push(entity("color", `${m[1]}色`, text0, m.index));
  }
  return out;
}

function resolveOverlaps(found: Entity[]): Entity[] {
  const ranked = [...found].sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Entity[] = [];
  for (const e of ranked) {
    const clash = kept.some(
      (k) => k.start < e.end && e.start < k.end && (k.type === e.type ? true : !COMPATIBLE.has(`${k.type}|${e.type}`)),
    );
    if (!clash) kept.push(e);
  }
  return kept.sort((a, b) => a.start - b.start || PRIORITY[b.type] - PRIORITY[a.type]);
}
