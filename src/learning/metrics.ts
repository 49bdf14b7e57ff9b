/** Agreement between two partitions of the same items: normalised mutual information and the adjusted Rand index. */

interface Contingency {
  n: number;
  /** Items per gold label and per predicted cluster. */
  rows: number[];
  cols: number[];
  /** Non-empty cells: [gold row, predicted column, items]. */
  cells: [number, number, number][];
}

function contingency(gold: readonly string[], predicted: readonly string[]): Contingency {
  if (gold.length !== predicted.length) throw new Error("gold and predicted differ in length");
  const rowIds = new Map<string, number>();
  const colIds = new Map<string, number>();
  const cells = new Map<string, [number, number, number]>();
  const rows: number[] = [];
  const cols: number[] = [];
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (!rowIds.has(g)) rowIds.set(g, rowIds.size);
    if (!colIds.has(p)) colIds.set(p, colIds.size);
    const r = rowIds.get(g)!;
    const c = colIds.get(p)!;
    rows[r] = (rows[r] ?? 0) + 1;
    cols[c] = (cols[c] ?? 0) + 1;
    const key = `${r}:${c}`;
    const cell = cells.get(key);
    if (cell) cell[2]++;
    else cells.set(key, [r, c, 1]);
  });
  return { n: gold.length, rows, cols, cells: [...cells.values()] };
}

const entropy = (counts: readonly number[], n: number) => counts.reduce((h, c) => h - (c / n) * Math.log(c / n), 0);

/**
 * Normalised mutual information, I(gold; predicted) over the arithmetic mean of the two entropies
 * (scikit-learn's default). 1 when the partitions are the same, up to renaming.
 */
export function nmi(gold: readonly string[], predicted: readonly string[]): number {
  const t = contingency(gold, predicted);
  const hGold = entropy(t.rows, t.n);
  const hPred = entropy(t.cols, t.n);
  if (hGold === 0 && hPred === 0) return 1;
  let mi = 0;
  for (const [r, c, count] of t.cells) mi += (count / t.n) * Math.log((t.n * count) / (t.rows[r]! * t.cols[c]!));
  return Math.max(0, Math.min(1, mi / ((hGold + hPred) / 2)));
}

const pairs = (x: number) => (x * (x - 1)) / 2;

/** Adjusted Rand index: pair-counting agreement corrected for chance (about 0 for random labels, 1 for identical ones). */
export function ari(gold: readonly string[], predicted: readonly string[]): number {
  const t = contingency(gold, predicted);
  const index = t.cells.reduce((s, [, , c]) => s + pairs(c), 0);
  const sumRows = t.rows.reduce((s, c) => s + pairs(c), 0);
  const sumCols = t.cols.reduce((s, c) => s + pairs(c), 0);
  const expected = (sumRows * sumCols) / (pairs(t.n) || 1);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
