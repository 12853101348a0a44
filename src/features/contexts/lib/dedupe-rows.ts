/** Concatenates pages of rows, keeping the first row of each id. */
export function dedupeRows<Row extends { id: string }>(pages: ReadonlyArray<ReadonlyArray<Row>>): Row[] {
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const page of pages) {
    for (const row of page) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
  }
  return rows;
}
