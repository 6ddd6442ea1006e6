/**
 * Typed errors of the backend. Each class carries the HTTP status it maps to and
 * a stable `name` that clients may branch on; the one error handler in app.ts turns
 * them into the ErrorBody envelope. 4xx messages reach the client as written, so
 * they must name the problem; 5xx messages never do (they may hold internals).
 */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class BadRequestError extends AppError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  readonly statusCode = 401;
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
}

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  readonly statusCode = 413;
}

export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
}

export class TooManyRequestsError extends AppError {
  override readonly name = 'TooManyRequestsError';
  readonly statusCode = 429;
}

export class NotReadyError extends AppError {
  override readonly name = 'NotReadyError';
  readonly statusCode = 503;
}

/** A request the store cannot take at this moment but will take soon (a week retention is dropping). */
export class RetryLaterError extends AppError {
  override readonly name = 'RetryLaterError';
  readonly statusCode = 503;
}

/** Thrown once at start when settings are wrong; the message lists every bad setting, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** True for errors that carry their own HTTP status (ours, the model's HttpParseError, fastify's). */
export function isHttpError(error: unknown): error is Error & { statusCode: number } {
  const statusCode = error instanceof Error ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599;
}
