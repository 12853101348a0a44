/** The servers and keys that playwright.config.ts starts for the end-to-end tests. */
export const E2E_SERVERS = {
  main: { port: 4311, url: 'http://127.0.0.1:4311' },
  limits: { port: 4312, url: 'http://127.0.0.1:4312' },
} as const;

export const E2E_KEYS = {
  admin: 'e2e-admin-key-0123456789abcdef',
  editor: 'e2e-editor-key-0123456789abcdef',
  viewer: 'e2e-viewer-key-0123456789abcdef',
} as const;
