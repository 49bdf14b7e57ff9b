/**
 * Stage 2: segmentation. jieba for Chinese runs, with a user dictionary built from the shop's
 * product names, aliases, brands and knowledge terms; Latin/number runs ("af-333", "5.5l",
 * "8+256g") and catalogue terms that contain Latin letters ("x20 pro") stay whole.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodejieba from "nodejieba";
import type { ShopLexicon, Token } from "./types.js";

const CJK = /\p{Script=Han}/u;
const LATIN_RUN = /[a-z0-9]+(?:[.\-+'][a-z0-9]+)*/y;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/uy;
const HAN_RUN = /\p{Script=Han}+/uy;

/** Words a shop's dictionary should keep whole, derived from its catalogue and knowledge terms. */
export function dictionaryWords(lexicon: ShopLexicon): string[] {
  const words = new Set<string>();
  for (const p of lexicon.products) {
    for (const w of [p.brand, ...p.aliases, ...p.modelCodes, ...p.colors]) words.add(w.toLowerCase().trim());
    for (const chunk of p.name.toLowerCase().split(/[\s（）()]+/)) if (chunk.length >= 2) words.add(chunk);
  }
  for (const t of [...lexicon.terms, ...lexicon.synonyms.flat()]) words.add(t.toLowerCase().trim());
  words.delete("");
  return [...words];
}

export class Segmenter {
  /** Terms containing Latin letters or digits, by first character, longest first. */
  private readonly latinTerms = new Map<string, string[]>();

  private constructor(words: string[]) {
    for (const w of words) {
      if (!/[a-z0-9]/.test(w)) continue;
      const list = this.latinTerms.get(w[0]!) ?? [];
      list.push(w);
      this.latinTerms.set(w[0]!, list);
    }
    for (const list of this.latinTerms.values()) list.sort((a, b) => b.length - a.length);
  }

  /**
   * Builds a segmenter for this lexicon: writes the jieba user dictionary (Chinese-only words)
   * to `dictPath` (a temp file by default) and reloads jieba with it. jieba's dictionary is
   * process-wide, so the latest segmenter built wins.
   */
  static async create(lexicon: ShopLexicon, dictPath?: string): Promise<Segmenter> {
    const words = dictionaryWords(lexicon);
    const path = dictPath ?? join(tmpdir(), `kefu-userdict-${process.pid}.txt`);
    await mkdir(join(path, ".."), { recursive: true });
    const chinese = words.filter((w) => CJK.test(w) && !/[\sa-z0-9]/.test(w));
    // Frequency high enough to beat splits such as 空气/炸锅, tag n (noun).
    // Written aside and renamed: processes sharing DATA_DIR never read a half-written dictionary.
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, chinese.map((w) => `${w} 20000 n`).join("\n") + "\n", "utf8");
    await rename(temp, path);
    nodejieba.load({ userDict: path });
    return new Segmenter(words);
  }

  /** Splits normalised text into tokens with offsets; whitespace and punctuation are dropped. */
  segment(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      const term = this.termAt(text, i);
      if (term) {
        tokens.push({ text: term, start: i, end: i + term.length, kind: "term" });
        i += term.length;
        continue;
      }
      LATIN_RUN.lastIndex = i;
      const latin = LATIN_RUN.exec(text);
      if (latin) {
        const word = latin[0];
        tokens.push({ text: word, start: i, end: i + word.length, kind: /^[\d.]+$/.test(word) ? "number" : "latin" });
        i += word.length;
        continue;
      }
      HAN_RUN.lastIndex = i;
      const han = HAN_RUN.exec(text);
      if (han) {
        let offset = i;
        for (const word of nodejieba.cut(han[0], true)) {
          tokens.push({ text: word, start: offset, end: offset + word.length, kind: "word" });
          offset += word.length;
        }
        i += han[0].length;
        continue;
      }
      EMOJI.lastIndex = i;
      const emoji = EMOJI.exec(text);
      if (emoji) {
        tokens.push({ text: emoji[0], start: i, end: i + emoji[0].length, kind: "emoji" });
        i += emoji[0].length;
        continue;
      }
      i += ch.length; // whitespace, punctuation, symbols
    }
    return tokens;
  }

  /** A catalogue term with Latin letters starting at i, on alphanumeric boundaries. */
  private termAt(text: string, i: number): string | undefined {
    const candidates = this.latinTerms.get(text[i]!);
    if (!candidates) return undefined;
    if (i > 0 && /[a-z0-9]/.test(text[i - 1]!)) return undefined;
    for (const term of candidates) {
      if (!text.startsWith(term, i)) continue;
      const next = text[i + term.length];
      if (next !== undefined && /[a-z0-9]/.test(term.at(-1)!) && /[a-z0-9]/.test(next)) continue;
      return term;
    }
    return undefined;
  }
}
