/**
 * Whether a debounced text-filter change should push a history entry or replace the
 * current one. The first change of a typing burst pushes (so Back returns to the view
 * before it); later changes to the same field within `windowMs` of the previous one
 * replace it, so that typing "agent_42" is one Back step, not eight.
 */
export interface TypingBurst {
  field: string;
  at: number;
}

export function historyModeFor(
  previous: TypingBurst | null,
  field: string,
  now: number,
  windowMs = 2000,
): 'push' | 'replace' {
  return previous !== null && previous.field === field && now - previous.at <= windowMs ? 'replace' : 'push';
}
