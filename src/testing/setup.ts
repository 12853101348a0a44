/**
 * Vitest setup for client tests (jsdom): jest-dom matchers, the msw server with the
 * default session handlers, and a clean page between tests.
 */
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { server } from './msw/server';
import { testSession } from './msw/session-state';
import { installMatchMedia } from './match-media';

installMatchMedia();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  testSession.role = null;
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  document.documentElement.removeAttribute('style');
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());
