export * from './api';
export * from './fixtures';
export * from './engine-tricks';
export * from './test-server';
export * from './processes';
export * from './postgres';
