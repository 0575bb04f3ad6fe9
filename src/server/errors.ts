import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error the API returns is `{ "error": { "code", "message" } }`. The
 * codes are stable (clients match on them); messages are for people.
 */
export type ErrorCode =
  | 'bad-request'
  | 'bad-json'
  | 'missing-input'
  | 'unsupported-media-type'
  | 'too-large'
  | 'unauthorized'
  | 'forbidden-origin'
  | 'bad-host'
  | 'not-found'
  | 'method-not-allowed'
  | 'refused-address'
  | 'fetch-failed'
  | 'timeout'
  | 'unprocessable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

/** How an ingest failure (IngestError.code) reaches an API client. */
export function fromIngestCode(code: string, message: string): ApiError {
  switch (code) {
    case 'refused-address':
      return new ApiError(403, 'refused-address', message);
    case 'too-large':
      return new ApiError(413, 'too-large', message);
    case 'timeout':
      return new ApiError(504, 'timeout', message);
    case 'bad-url':
      return new ApiError(400, 'bad-request', message);
    case 'empty':
      return new ApiError(422, 'missing-input', message);
    case 'http-status':
    case 'too-many-redirects':
    case 'not-found':
    case 'read-error':
      return new ApiError(502, 'fetch-failed', message);
    default:
      return new ApiError(422, 'unprocessable', message);
  }
}
