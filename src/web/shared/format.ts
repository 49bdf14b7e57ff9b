/** How the front ends write money, times and durations (the shop's times are Beijing time). */

/** 12990 → "¥129.90". */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const clock = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** An ISO time as "11/20 08:29" in Beijing time; the input unchanged when it is not a date. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** An ISO time as "12:00:30" in Beijing time. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : clock.format(d);
}

/** 75 → "1分15秒", 3720 → "1小时2分". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}秒`;
  if (s < 3600) return `${Math.floor(s / 60)}分${String(s % 60).padStart(2, "0")}秒`;
  return `${Math.floor(s / 3600)}小时${Math.floor((s % 3600) / 60)}分`;
}

/** About how long to wait, for a shopper: "约 3 分钟". */
export function roughWait(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  return `约 ${Math.max(1, Math.round(seconds / 60))} 分钟`;
}
