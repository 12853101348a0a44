/**
 * Keyboard movement of the table's active row (roving focus): arrows and j/k move by one,
 * PageUp/PageDown by a screenful, Home/End to the ends. Returns the new index, or null
 * when the key is not a movement key (so the event is left alone).
 */
export function nextRowIndex(key: string, index: number, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.min(Math.max(i, 0), count - 1);
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return clamp(index + 1);
    case 'ArrowUp':
    case 'k':
      return clamp(index - 1);
    case 'PageDown':
      return clamp(index + Math.max(1, pageRows - 1));
    case 'PageUp':
      return clamp(index - Math.max(1, pageRows - 1));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
