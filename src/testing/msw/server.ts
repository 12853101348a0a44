import { setupServer } from 'msw/node';
import { defaultHandlers } from './handlers';

/** The msw server every client test runs against (started in src/testing/setup.ts). */
export const server = setupServer(...defaultHandlers);
