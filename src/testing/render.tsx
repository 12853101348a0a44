/**
 * Render helpers for component tests.
 *
 *   const { user, queryClient } = renderWithProviders(<MyPanel />, { route: '/contexts?status=failed', role: 'admin' });
 *   const { user } = renderApp({ route: '/contexts', role: null });   // the whole app, signed out
 *
 * Each call gets a fresh QueryClient (retries off, same global 401 handling as the app),
 * the theme provider and the toaster. `route` sets the real window URL (wouter's browser
 * location reads it, as do useSearch and our URL-state hooks). `role` signs the fake
 * server in as that role and pre-fills the session cache so that the UI renders at once;
 * `null` means signed out; leave it out to keep the fake server as it is.
 */
import { render, type RenderOptions, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import type { Role } from '@contract/constants';
import { AppContent } from '@/app/app';
import { AppProviders } from '@/app/providers';
import { createQueryClient } from '@/app/query-client';
import { sessionKeys } from '@/features/auth';
import { sessionInfo, testSession } from './msw/session-state';

export interface RenderWithProvidersOptions extends Omit<RenderOptions, 'wrapper' | 'queries'> {
  /** Path + query string to start at. Default: keep the current URL ('/' after each test). */
  route?: string;
  /** Signed-in role (null: signed out). Default: leave the fake server's session alone. */
  role?: Role | null;
  /** Bring your own client (e.g. pre-filled). Default: a fresh one. */
  queryClient?: QueryClient;
  /** Called when a 401 ends the session (the app shows a toast). */
  onSessionExpired?: () => void;
}

export interface RenderWithProvidersResult extends RenderResult {
  user: UserEvent;
  queryClient: QueryClient;
}

export function createTestQueryClient(options: { onSessionExpired?: () => void } = {}): QueryClient {
  return createQueryClient({ retry: false, ...options });
}

export function renderWithProviders(ui: ReactElement, options: RenderWithProvidersOptions = {}): RenderWithProvidersResult {
  const { route, role, queryClient: given, onSessionExpired, ...renderOptions } = options;
  if (route !== undefined) window.history.replaceState(null, '', route);
  const queryClient = given ?? createTestQueryClient({ onSessionExpired });
  if (role !== undefined) {
    testSession.role = role;
    queryClient.setQueryData(sessionKeys.current(), role ? sessionInfo(role) : null);
  }
  const user = userEvent.setup();
  const result = render(ui, {
    ...renderOptions,
    wrapper: ({ children }) => <AppProviders queryClient={queryClient}>{children}</AppProviders>,
  });
  return { ...result, user, queryClient };
}

/**
 * The whole app (error boundary, AuthGate, frame, routes) inside fresh providers. With
 * `role` left out, the session is fetched from the fake server like on a real page load.
 */
export function renderApp(options: RenderWithProvidersOptions = {}): RenderWithProvidersResult {
  return renderWithProviders(<AppContent />, options);
}
