/**
 * Pinyin, for matching what shoppers type by sound: homophone typos (退宽 = 退款, 保休 = 保修)
 * and messages typed in pinyin without conversion ("quxiao dingdan", "rengong").
 */
import { pinyin } from "pinyin-pro";

let syllables: Set<string> | null = null;

/** Every toneless syllable pinyin-pro gives for the common CJK block, computed once. */
function validSyllables(): Set<string> {
  if (syllables) return syllables;
  let block = "";
  for (let code = 0x4e00; code <= 0x9fa5; code++) block += String.fromCodePoint(code);
  syllables = new Set(pinyin(block, { toneType: "none", type: "array", v: true }).filter((s) => /^[a-z]+$/.test(s)));
  return syllables;
}

/** Splits a Latin word into pinyin syllables (fewest syllables), or null when it is not pinyin. */
export function splitPinyin(word: string): string[] | null {
  if (!/^[a-z]{2,30}$/.test(word)) return null;
  const valid = validSyllables();
  // best[i] = fewest syllables covering word[0..i)
  const best: (string[] | null)[] = [[]];
  for (let i = 1; i <= word.length; i++) {
    best[i] = null;
    for (let len = 1; len <= 6 && len <= i; len++) {
      const prev = best[i - len];
      const piece = word.slice(i - len, i);
      if (prev && valid.has(piece) && (!best[i] || prev.length + 1 < best[i]!.length)) best[i] = [...prev, piece];
    }
  }
  return best[word.length] ?? null;
}

/**
 * The message as a sequence of toneless syllables: Chinese characters by their reading, Latin
 * words that are pinyin by their syllables; anything else breaks the sequence ("|").
 */
export function pinyinSequence(tokens: { text: string; kind: string }[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind === "word" && /\p{Script=Han}/u.test(t.text)) {
      out.push(...pinyin(t.text, { toneType: "none", type: "array", v: true, nonZh: "removed" }));
    } else if (t.kind === "latin") {
      const split = splitPinyin(t.text);
      if (split) out.push(...split);
      else out.push("|");
    } else {
      out.push("|");
    }
  }
  return out;
}
