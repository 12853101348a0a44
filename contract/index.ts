export * from './constants';
export * from './schemas';
export * from './summary';
export type * from './types';
export * from './accountability';
export * from './accountability-schemas';
export type * from './accountability-types';
