/** "1,234" — one locale for counts everywhere, so tests and screenshots agree. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "512 B", "12.3 KB", "2.1 MB" (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
