/**
 * Errors the model throws. Each carries the HTTP status a server should answer
 * with, so the backend can map them without knowing the model's internals.
 */
export class HttpParseError extends Error {
  override readonly name = 'HttpParseError';
  constructor(
    message: string,
    readonly statusCode: 400 | 415 = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by builders when the event they would return is not valid; the message names every problem. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly problems: { pointer: string; message: string }[],
  ) {
    super(message);
  }
}
