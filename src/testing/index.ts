/** Shared test infrastructure for client tests: import from '@/testing'. */
export { mockElementSize, type ElementSizeOptions } from './element-size';
export { contextId, losslessContext, makeContext, makeContexts, makeSummaries, makeSummary, resetFactories, type ContextOverrides } from './factories';
export { contextListResponse, contextResponse, readJsonBody } from './msw/context-responses';
export { setSystemDark } from './match-media';
export { apiError, defaultHandlers, emptyContextsHandlers, sessionHandlers } from './msw/handlers';
export { server } from './msw/server';
export { sessionInfo, TEST_KEYS, TEST_RATE_LIMITS, testSession } from './msw/session-state';
export { createTestQueryClient, renderApp, renderWithProviders, type RenderWithProvidersOptions, type RenderWithProvidersResult } from './render';
