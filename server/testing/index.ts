export * from './api';
export * from './fixtures';
export * from './test-server';
