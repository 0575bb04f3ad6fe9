export type { Cleaned, OffsetRun } from './types.ts';
export { clean, nearEqual, type CleanOptions } from './clean.ts';
export { toRaw, toRawSpan } from './offsets.ts';
