/**
 * Reciprocal rank fusion: merges ranked lists (full-text, vectors) by rank alone, so scores on different scales
 * (BM25, cosine distance) never have to be compared. Each list has a weight; an item scores
 * Σ weight / (k + rank). k = 60 is the constant of the original paper (Cormack et al., 2009).
 */

export interface RankedList<T> {
  /** Best first; `key` identifies an item across lists. */
  items: { key: string; value?: T }[];
  weight: number;
}

export interface FusedItem<T> {
  key: string;
  value: T | undefined;
  score: number;
}

export function reciprocalRankFusion<T>(
  lists: RankedList<T>[],
  options: { k?: number } = {},
): FusedItem<T>[] {
  const k = options.k ?? 60;
  const fused = new Map<string, FusedItem<T> & { order: number }>();
  for (const list of lists) {
    if (list.weight <= 0) continue;
    const seen = new Set<string>();
    let rank = 0;
    for (const item of list.items) {
      rank++;
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      const entry = fused.get(item.key);
      const share = list.weight / (k + rank);
      if (entry) entry.score += share;
      else fused.set(item.key, { key: item.key, value: item.value, score: share, order: fused.size });
    }
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ key, value, score }) => ({ key, value, score }));
}
