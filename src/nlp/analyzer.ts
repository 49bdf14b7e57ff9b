/** Stages 1–3 in order: normalise, segment, extract entities. */
import { buildProductMatcher, extractEntities, type ProductMatcher } from "./entities.js";
import { normalize } from "./normalize.js";
import { pinyinSequence } from "./pinyin.js";
import { Segmenter } from "./segment.js";
import type { Entity, ShopLexicon, Token } from "./types.js";

export interface Analysis {
  text: string;
  normalized: string;
  tokens: Token[];
  entities: Entity[];
  /** Canonical words of the synonym groups the text mentions (物流 -> 快递). */
  concepts: string[];
  /** Toneless syllables of the message, "|" where the sequence breaks. */
  pinyin: string[];
}

/** word -> canonical, longest words first, for scanning text. */
type SynonymIndex = [word: string, canonical: string][];

function buildSynonymIndex(groups: string[][]): SynonymIndex {
  const index: SynonymIndex = [];
  for (const [canonical, ...rest] of groups) for (const w of [canonical!, ...rest]) index.push([w, canonical!]);
  return index.sort((a, b) => b[0].length - a[0].length);
}

export class TextAnalyzer {
  private constructor(
    private segmenter: Segmenter,
    private matcher: ProductMatcher,
    private synonyms: SynonymIndex,
  ) {}

  static async create(lexicon: ShopLexicon, dictPath?: string): Promise<TextAnalyzer> {
    return new TextAnalyzer(await Segmenter.create(lexicon, dictPath), buildProductMatcher(lexicon), buildSynonymIndex(lexicon.synonyms));
  }

  /** Rebuilds the dictionary and catalogue lookups after products or knowledge terms changed. */
  async updateLexicon(lexicon: ShopLexicon, dictPath?: string): Promise<void> {
    const segmenter = await Segmenter.create(lexicon, dictPath);
    this.matcher = buildProductMatcher(lexicon);
    this.synonyms = buildSynonymIndex(lexicon.synonyms);
    this.segmenter = segmenter;
  }

  analyze(text: string, now: Date): Analysis {
    const normalized = normalize(text);
    const tokens = this.segmenter.segment(normalized);
    const entities = extractEntities(normalized, this.matcher, { now });
    const concepts = new Set<string>();
    for (const [word, canonical] of this.synonyms) if (normalized.includes(word)) concepts.add(canonical);
    return { text, normalized, tokens, entities, concepts: [...concepts], pinyin: pinyinSequence(tokens) };
  }
}
