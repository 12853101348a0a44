/**
 * Pure formatting for RelativeTime, tested on its own. "Relative" text is for scanning a
 * list ("5 minutes ago"); the exact local and UTC times are one hover/focus away.
 */
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "just now", "5 minutes ago", "yesterday", "in 2 hours", "3 weeks ago"… */
export function formatRelative(value: string | number | Date, now: number = Date.now()): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return 'unknown time';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds / 60) || Math.sign(seconds), 'minute');
}

const exactFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** The exact local time, e.g. "Nov 22, 2026, 10:05:00 AM GMT+1". */
export function formatExact(value: string | number | Date): string {
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : exactFormat.format(date);
}

/** ISO 8601 in UTC, as the API and the server's logs write it. */
export function formatIsoUtc(value: string | number | Date): string {
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
