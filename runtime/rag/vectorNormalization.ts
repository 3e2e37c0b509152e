/** Scales a vector to unit length, so cosine similarity is a dot product and every model compares alike. */
export function normalised(vector: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) ** 2;
  const length = Math.sqrt(sum);
  const out = Array.from(vector, Number);
  if (length === 0 || !Number.isFinite(length)) return out;
  return out.map((value) => value / length);
}
