/** Builds the ShopLexicon the NLU needs, from the database or from the demo catalogue (for training). */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { asc } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { products, productVariants } from "../db/schema.js";
import { demoProductRows } from "../shop/demo/generate.js";
import type { ShopLexicon } from "./types.js";

/** Reads a word list: one term per line, `#` comments and blank lines ignored. */
export async function readTermsFile(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** Reads synonym groups: a YAML list of lists, canonical word first. */
export async function readSynonymsFile(path: string): Promise<string[][]> {
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "[]";
    throw err;
  });
  const groups: unknown = parseYaml(text) ?? [];
  if (!Array.isArray(groups) || !groups.every((g) => Array.isArray(g) && g.length >= 2 && g.every((w) => typeof w === "string" || typeof w === "number"))) {
    throw new Error(`${path}: expected a list of synonym groups, each a list of two or more words`);
  }
  return groups.map((g: (string | number)[]) => g.map((w) => String(w).toLowerCase().trim()));
}

/** The domain words of a knowledge folder: terms.txt and synonyms.yaml. */
export async function readKnowledgeWords(dir: string): Promise<Pick<ShopLexicon, "terms" | "synonyms">> {
  return { terms: await readTermsFile(join(dir, "terms.txt")), synonyms: await readSynonymsFile(join(dir, "synonyms.yaml")) };
}

type ProductRow = Pick<ShopLexicon["products"][number], "id" | "name" | "brand" | "modelCodes" | "aliases">;
type VariantRow = { productId: string; color: string | null };

function lexiconOf(rows: ProductRow[], variants: VariantRow[], words: Pick<ShopLexicon, "terms" | "synonyms">): ShopLexicon {
  return {
    products: rows.map((p) => ({
      id: p.id,
      name: p.name,
      brand: p.brand,
      modelCodes: p.modelCodes,
      aliases: p.aliases,
      colors: [...new Set(variants.filter((v) => v.productId === p.id && v.color).map((v) => v.color!))],
    })),
    ...words,
  };
}

/** The lexicon of the shop in the database. */
export async function loadShopLexicon(db: Db, words: Pick<ShopLexicon, "terms" | "synonyms">): Promise<ShopLexicon> {
  const rows = await db.select().from(products).orderBy(asc(products.id));
  const variants = await db.select({ productId: productVariants.productId, color: productVariants.color }).from(productVariants);
  return lexiconOf(rows, variants, words);
}

/** The demo catalogue's lexicon: what training uses, so features do not depend on a database. */
export function demoLexicon(words: Pick<ShopLexicon, "terms" | "synonyms">): ShopLexicon {
  const { products: rows, variants } = demoProductRows();
  return lexiconOf(rows, variants, words);
}
