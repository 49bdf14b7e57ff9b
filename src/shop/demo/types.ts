/** Shapes of the hand-written demo catalogue; the seed turns them into database rows. */

export type ProductCategory =
  | "small_appliance"
  | "phone"
  | "digital"
  | "clothing"
  | "shoes"
  | "fresh"
  | "cosmetics"
  | "home";

/** One row of a size chart. Ranges are inclusive [min, max]. */
export interface SizeChartRow {
  size: string; // "S" | "M" | "L" | "XL" | "XXL" | "39" ...
  heightCm?: [number, number];
  weightKg?: [number, number];
  footLengthMm?: [number, number];
  /** Garment measurements in cm, e.g. { 胸围: 104, 衣长: 70, 肩宽: 46 } */
  measurements?: Record<string, number>;
}

/** A purchasable variant (colour and/or size) with its own stock. */
export interface DemoVariant {
  color?: string;
  size?: string;
  stock: number;
}

export interface DemoProduct {
  /** Stable id, e.g. "p-af333". */
  id: string;
  name: string;
  brand: string;
  category: ProductCategory;
  /** Model codes the shopper may type; the first is the primary one, e.g. ["AF-333"]. Empty for fresh food. */
  modelCodes: string[];
  /** Price in fen (1 yuan = 100 fen). */
  priceFen: number;
  /** Key facts shown on a product card and used to answer spec questions. */
  specs: Record<string, string>;
  variants: DemoVariant[];
  /** How to use / care instructions, several sentences of natural Simplified Chinese. */
  usageNotes: string;
  sizeChart?: SizeChartRow[];
  warrantyMonths: number;
  /** Whether 7-day no-reason return applies (fresh food, opened cosmetics: false). */
  noReasonReturn: boolean;
  tags: string[];
}
