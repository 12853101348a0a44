/** Shared test infrastructure for client tests: import from '@/testing'. */
export { mockElementSize, type ElementSizeOptions } from './element-size';
export { contextId, makeContext, makeContexts, makeSummaries, makeSummary, resetFactories } from './factories';
export { setSystemDark } from './match-media';
export { apiError, defaultHandlers, emptyContextsHandlers, sessionHandlers } from './msw/handlers';
export { server } from './msw/server';
export { sessionInfo, TEST_KEYS, TEST_RATE_LIMITS, testSession } from './msw/session-state';
export { createTestQueryClient, renderApp, renderWithProviders, type RenderWithProvidersOptions, type RenderWithProvidersResult } from './render';
