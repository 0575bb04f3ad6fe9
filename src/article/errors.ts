/**
 * Why ingest could not produce an Article. `code` is stable (scripts and the
 * store match on it); `message` is one line a person can act on, printed by
 * the CLI before it exits non-zero.
 */
export type IngestErrorCode =
  | 'not-found'
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'refused-address'
  | 'timeout'
  | 'too-many-redirects'
  | 'bad-content-type'
  | 'http-status'
  | 'network'
  | 'bad-url'
  | 'decode'
  | 'read-error'
  | 'parse';

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'IngestError';
    this.code = code;
  }
}

export function isIngestError(e: unknown): e is IngestError {
  return e instanceof IngestError;
}
