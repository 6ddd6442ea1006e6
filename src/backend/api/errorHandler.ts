/**
 * The one place errors become responses. Every error body is the ErrorBody
 * envelope `{statusCode, error: {name, message}, requestId}`. Messages of 4xx
 * errors pass through (they name the problem); 5xx errors that are not our own
 * typed errors are logged in full and answered with a message that hides them.
 * Unknown routes get a 404 in the same envelope.
 */
import { randomUUID } from 'crypto';
import type { Socket } from 'net';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody } from './contract';
import { AppError, isHttpError } from '../errors';

const namesByStatus: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  406: 'NotAcceptableError',
  408: 'RequestTimeoutError',
  413: 'PayloadTooLargeError',
  414: 'UriTooLongError',
  415: 'UnsupportedMediaTypeError',
  429: 'TooManyRequestsError',
  431: 'HeadersTooLargeError',
  503: 'ServiceUnavailableError',
};

/** The status, stable name and client-safe message of any thrown value. */
export function describeError(
  error: unknown,
  limits: { maxBodyBytes: number },
): ErrorBody['error'] & { statusCode: number } {
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError?.validation) {
    return { statusCode: 400, name: 'ValidationError', message: String(fastifyError.message) };
  }
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      statusCode: 413,
      name: 'PayloadTooLargeError',
      message: `request body is larger than ${limits.maxBodyBytes} bytes (CDEVENTS_MAX_BODY_BYTES)`,
    };
  }
  if (isHttpError(error) && (error.statusCode < 500 || error instanceof AppError)) {
    // Our own classes and the model's HttpParseError have meaningful names; fastify's are all "FastifyError".
    const ownName = error.name && error.name !== 'Error' && error.name !== 'FastifyError' ? error.name : undefined;
    return {
      statusCode: error.statusCode,
      name: ownName ?? namesByStatus[error.statusCode] ?? 'HttpError',
      message: error.message,
    };
  }
  return {
    statusCode: 500,
    name: 'InternalServerError',
    message: 'internal error; the server log has the details under this request id',
  };
}

export function registerErrorHandling(app: FastifyInstance, limits: { maxBodyBytes: number }): void {
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, name, message } = describeError(error, limits);
    if (statusCode >= 500) {
      request.log.error(
        { err: error, method: request.method, url: request.url, params: request.params },
        'request failed',
      );
    } else {
      request.log.info({ statusCode, error: { name, message } }, 'request refused');
    }
    const body: ErrorBody = { statusCode, error: { name, message }, requestId: request.id };
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      statusCode: 404,
      error: { name: 'NotFoundError', message: `no route ${request.method} ${request.url.slice(0, 200)}` },
      requestId: request.id,
    };
    return reply.code(404).send(body);
  });
}

/**
 * Answers what Node's HTTP parser refuses before fastify sees a request (headers over Node's
 * 16 KiB limit: 431; malformed HTTP: 400; a request that took too long: 408) with the envelope,
 * and closes the connection, as the parser's state is unknown.
 */
export function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const [statusCode, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request headers are larger than the server accepts (16 KiB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request took too long to arrive']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  const body: ErrorBody = {
    statusCode,
    error: { name: namesByStatus[statusCode] ?? 'BadRequestError', message },
    requestId: randomUUID(),
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${statusCode} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${body.requestId}\r\nConnection: close\r\n\r\n${json}`,
  );
}
