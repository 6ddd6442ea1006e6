import type { ErrorBody } from '../../backend/api/contract';
import type { ApiError } from './types';

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { name?: unknown }).name === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * Tells who failed from a non-2xx answer: our backend always answers JSON ErrorBody, so a
 * plain-text 400/401/404 came from Argo CD's proxy in front of it (its messages are
 * "Invalid headers: …", "Unauthorized extension request", "Extension not found").
 */
export function parseErrorResponse(status: number, text: string): ApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (isErrorBody(json)) {
    return { kind: 'backend', status, body: { ...json, statusCode: json.statusCode ?? status } };
  }
  const message = text.trim().slice(0, 300);
  if (status === 400) return { kind: 'proxy-rejected', status, message };
  if (status === 401 || status === 403) return { kind: 'unauthorized', status: 401, message };
  if (status === 404) return { kind: 'extension-missing', status, message };
  if (status >= 500) return { kind: 'unavailable', status, message };
  return { kind: 'unexpected', status, message };
}
