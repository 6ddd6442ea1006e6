/**
 * The HTTP sink: one POST per event in CloudEvents binary mode (research
 * cdevents.md §4), which both the cdviz collector's webhook (it ignores ce-*
 * headers and reads the body) and Flux's `cdevents` Receiver (it filters on
 * Ce-Type, then parses the body with sdk-go v04) accept.
 */
import { convertEvent, toHttpBinary } from '../../cdevents';
import type { CDEvent } from '../../cdevents/types';
import { isRetryableStatus } from './decideNextStep';
import type { HttpSinkSettings, SendResult, Sink } from './types';

export interface HttpSinkOptions {
  /** Defaults to the global fetch; injectable for a client with its own agent. */
  fetch?: typeof fetch;
}

const maxErrorBodyChars = 200;

/** Builds the request one event becomes: the binding's headers win over configured ones. */
export function buildHttpRequest(
  event: CDEvent,
  settings: Pick<HttpSinkSettings, 'specVersion' | 'headers'>,
): { headers: Record<string, string>; body: string } {
  const message = toHttpBinary(convertEvent(event, settings.specVersion), settings.specVersion);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower.startsWith('ce-')) continue;
    headers[lower] = value;
  }
  return { headers: { ...headers, ...message.headers }, body: message.body };
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from now. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Describes a failed fetch without the URL's path or query, which may carry tokens. */
function describeNetworkError(error: unknown, url: URL, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no answer from ${url.host} within ${timeoutMs} ms`;
  const code = err.cause?.code;
  const detail = err.cause?.message ?? err.message ?? String(error);
  return `cannot reach ${url.host}: ${code ? `${code} ` : ''}${detail}`.trim();
}

export function createHttpSink(settings: HttpSinkSettings, options: HttpSinkOptions = {}): Sink {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(settings.url);
  return {
    settings,
    async send(event: CDEvent): Promise<SendResult> {
      let request: { headers: Record<string, string>; body: string };
      try {
        request = buildHttpRequest(event, settings);
      } catch (error) {
        // An event that cannot be converted will not convert on a retry either.
        return { ok: false, permanent: true, error: `cannot encode event: ${(error as Error).message}` };
      }
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch (error) {
        return { ok: false, permanent: false, error: describeNetworkError(error, url, settings.timeoutMs) };
      }
      let text = '';
      try {
        text = await response.text();
      } catch {
        // The status is what counts; a body cut short does not change it.
      }
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
      if (response.status >= 300 && response.status < 400) {
        return {
          ok: false,
          statusCode: response.status,
          permanent: true,
          error: `${url.host} answered ${response.status} (redirects are not followed: configure the final URL)`,
        };
      }
      const snippet = text.length > maxErrorBodyChars ? `${text.slice(0, maxErrorBodyChars)}…` : text;
      return {
        ok: false,
        statusCode: response.status,
        permanent: !isRetryableStatus(response.status),
        error: `${url.host} answered ${response.status}${snippet ? `: ${snippet}` : ''}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    },
    async close(): Promise<void> {},
  };
}
