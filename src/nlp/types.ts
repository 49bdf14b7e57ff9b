/** Types shared by the stages of the understanding pipeline. */

export const ENTITY_TYPES = [
  "order_number",
  "phone",
  "tracking_number",
  "model_code",
  "product",
  "size",
  "height",
  "weight",
  "money",
  "quantity",
  "date",
  "color",
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * A value found in the message. `start`/`end` are offsets into the normalised text (end exclusive).
 * Values: order/tracking numbers and phones as digit strings; model_code canonical upper case
 * ("AF-333"); product the product id; height in cm; weight in kg; money in yuan; date as YYYY-MM-DD;
 * size as "L" or "39"; color as written in the catalogue or a base colour ("黑色").
 */
export interface Entity {
  type: EntityType;
  value: string | number;
  text: string;
  start: number;
  end: number;
}

export type TokenKind = "word" | "latin" | "number" | "term" | "emoji";

export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
}

/** What the NLU needs to know about the shop: product names, codes and aliases, and domain terms. */
export interface ShopLexicon {
  products: {
    id: string;
    name: string;
    brand: string;
    modelCodes: string[];
    aliases: string[];
    colors: string[];
  }[];
  /** Further words to keep whole (from knowledge/): 七天无理由, 价保, 运费险 ... */
  terms: string[];
  /** Synonym groups, canonical word first (knowledge/synonyms.yaml): [快递, 物流, 包裹] */
  synonyms: string[][];
}

export interface IntentScore {
  name: string;
  confidence: number;
}
