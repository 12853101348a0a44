import type { ReactNode } from 'react';
import { cx } from './cx';

/** A keyboard key or shortcut, e.g. <Kbd>Esc</Kbd> or <Kbd>⌘</Kbd><Kbd>K</Kbd>. */
export function Kbd({ children, className }: { children: ReactNode; className?: string }) {
  return <kbd className={cx('ui-kbd', className)}>{children}</kbd>;
}
