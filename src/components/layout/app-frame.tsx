import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import type { Role } from '@contract/constants';
import { Badge, Button, LogOutIcon, LogoIcon } from '@/components/ui';
import { HeaderStatusProvider, HeaderStatusSlot } from './header-status';
import { ServerUnavailableBanner } from './server-unavailable-banner';
import { ThemeToggle, type ThemeChoice } from './theme-toggle';

export interface AppFrameProps {
  /** The signed-in role, shown as "Signed in as <role> — <key name>". */
  role: Role;
  /** The signed-in key's name (issue 11: who is signed in). */
  keyName?: string;
  /** A short description of the role (tooltip-free: shown to screen readers and on hover via title). */
  roleDescription?: string;
  onSignOut: () => void;
  signingOut?: boolean;
  theme: ThemeChoice;
  onThemeChange: (next: ThemeChoice) => void;
  children: ReactNode;
}

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  // Active for the path and anything below it (/contexts?status=failed too).
  const [active] = useRoute(`${href}/*?`);
  return (
    <Link href={href} className="app-nav__link" aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/**
 * The signed-in frame: a sticky header (product, navigation, background jobs, role, theme,
 * sign-out) and the main landmark that pages fill. Presentational: src/app/app.tsx wires
 * it to the session and the theme.
 */
export function AppFrame({ role, keyName, roleDescription, onSignOut, signingOut, theme, onThemeChange, children }: AppFrameProps) {
  return (
    <HeaderStatusProvider>
      <div className="app">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="app-header">
          <div className="app-header__start">
            <Link href="/contexts" className="app-brand">
              <span className="app-brand__mark" aria-hidden="true">
                <LogoIcon size={16} />
              </span>
              <span className="app-brand__name">Execution Context Console</span>
            </Link>
            <nav className="app-nav" aria-label="Main">
              <NavLink href="/contexts">Contexts</NavLink>
              {role === 'admin' && (
                <>
                  <NavLink href="/deleted">Recently deleted</NavLink>
                  <NavLink href="/activity">Activity</NavLink>
                  <NavLink href="/keys">API keys</NavLink>
                </>
              )}
            </nav>
          </div>
          <div className="app-header__end">
            <HeaderStatusSlot />
            <p className="app-role" title={roleDescription}>
              <span className="app-role__label">Signed in as</span>{' '}
              <Badge tone={role === 'admin' ? 'indigo' : role === 'editor' ? 'blue' : 'neutral'}>{role}</Badge>
              {keyName && <span className="app-role__name"> — {keyName}</span>}
            </p>
            <span className="app-header__divider" aria-hidden="true" />
            <ThemeToggle preference={theme} onChange={onThemeChange} />
            <Button size="sm" variant="ghost" leadingIcon={<LogOutIcon size={14} />} loading={signingOut} onClick={onSignOut}>
              Sign out
            </Button>
          </div>
        </header>
        <ServerUnavailableBanner />
        <main id="main" className="app-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </HeaderStatusProvider>
  );
}
