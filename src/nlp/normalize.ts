/**
 * Stage 1: normalisation. Full-width to half-width, Traditional to Simplified Chinese,
 * lower-case Latin letters, collapse repeated punctuation and whitespace; emoji are kept.
 * `訂單狀態幫我查一下` and `订单状态帮我查一下` normalise to the same string.
 */
import * as OpenCC from "opencc-js";

const toSimplified = OpenCC.Converter({ from: "t", to: "cn" });

/** U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space. */
function toHalfWidth(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else out += ch;
  }
  return out;
}

/** Punctuation that, repeated, carries no more meaning for understanding (the raw text keeps it). */
const REPEATED_PUNCTUATION = /([!?.,~。，、？！…～;；:：\-—_*])\1+/gu;
/** Zero-width and control characters that copy-paste brings along. */
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu;

export function normalize(text: string): string {
  return toSimplified(toHalfWidth(text.normalize("NFC")))
    .replace(INVISIBLE, "")
    .toLowerCase()
    .replace(/…+/gu, "…")
    .replace(REPEATED_PUNCTUATION, "$1")
    .replace(/\s+/gu, " ")
    .trim();
}
