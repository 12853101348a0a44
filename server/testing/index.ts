export * from './api';
export * from './fixtures';
export * from './test-server';
export * from './processes';
export * from './postgres';
