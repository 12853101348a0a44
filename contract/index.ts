export * from './constants';
export * from './schemas';
export * from './summary';
export type * from './types';
