import { IconButton, MonitorIcon, MoonIcon, SunIcon } from '@/components/ui';

export type ThemeChoice = 'system' | 'light' | 'dark';

const ICONS = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } as const;
const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };

export interface ThemeToggleProps {
  preference: ThemeChoice;
  onChange: (next: ThemeChoice) => void;
}

/**
 * One button cycling system → light → dark. Its name says the current state ("Theme:
 * system"); the tooltip says what a click does.
 */
export function ThemeToggle({ preference, onChange }: ThemeToggleProps) {
  const Icon = ICONS[preference];
  const next = NEXT[preference];
  return (
    <IconButton
      aria-label={`Theme: ${preference}`}
      tooltip={`Theme: ${preference} (switch to ${next})`}
      icon={<Icon size={16} />}
      onClick={() => onChange(next)}
    />
  );
}
