/**
 * Tables as Go's text/tabwriter lays them out (flags 0, pad character ' '): every cell but the
 * last of a row is padded to the widest cell of its column plus `padding`; the last cell of a
 * row is written as is. buildx prints subrequest results this way; result.txt must match.
 */
export function tabulate(rows: readonly (readonly string[])[], padding: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat(widths[i]! + padding - width(cell)) : cell)).join('') + '\n')
    .join('');
}

/** Width in runes, as tabwriter counts (UTF-8 characters, not bytes or UTF-16 units). */
function width(text: string): number {
  return [...text].length;
}
