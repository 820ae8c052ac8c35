/**
 * How many menu entries, in order, fit in `available` px: all when they do, else as many as fit
 * beside the "more" button that takes the rest (at least none: the button alone).
 */
export function navFit(widths: readonly number[], gap: number, moreWidth: number, available: number): number {
  const total = (n: number) => widths.slice(0, n).reduce((s, w) => s + w, 0) + gap * Math.max(0, n - 1);
  if (total(widths.length) <= available) return widths.length;
  let n = widths.length - 1;
  while (n > 0 && total(n) + gap + moreWidth > available) n--;
  return n;
}
