/** The median (p50) of a non-empty list: the mean of the two middle values when the count is even. */
export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of an empty list is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
