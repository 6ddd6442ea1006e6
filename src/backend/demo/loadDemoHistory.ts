/**
 * Loads a demo history into a backend whose store is empty, through the
 * backend's own public ingest routes over real HTTP, so demo data takes exactly
 * the path real tools' data takes (parsing, validation, attribution, Argo CD
 * mapping). A store that already holds events is left alone: the demo is loaded
 * on first start only, and never mixes into real data.
 */
import type { SqlQueryable } from '../store/sqlExecutor';

/** One request a tool would have sent: CDEvents to /api/v1/events, an Application to /api/v1/argocd/notifications. */
export interface DemoRequest {
  /** Path and query, e.g. `/api/v1/argocd/notifications?instance=default`. */
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}

export interface LoadDemoHistoryOptions {
  /** The backend's own URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** The store's SQL executor, to tell whether it is empty. */
  sql: SqlQueryable;
  /** Sent in order, one at a time: the backend relates each event to what came before. */
  requests: readonly DemoRequest[];
  /** A token from CDEVENTS_INGEST_TOKENS when ingest auth is on. */
  ingestToken?: string;
}

export interface DemoLoadResult {
  loaded: boolean;
  /** Requests sent (0 when the store already held events). */
  sent: number;
}

/** True when no event has been stored yet. */
export async function isStoreEmpty(sql: SqlQueryable): Promise<boolean> {
  const { rows } = await sql.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS present');
  return !rows[0]?.present;
}

/**
 * Posts the demo requests when the store is empty.
 * @throws Error naming the route, the status and the backend's message when a request is refused.
 */
export async function loadDemoHistory(options: LoadDemoHistoryOptions): Promise<DemoLoadResult> {
  if (!(await isStoreEmpty(options.sql))) return { loaded: false, sent: 0 };
  let sent = 0;
  for (const request of options.requests) {
    const response = await fetch(new URL(request.path, options.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.ingestToken ? { authorization: `Bearer ${options.ingestToken}` } : {}),
        ...request.headers,
      },
      body: JSON.stringify(request.body),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        // not the JSON error envelope: show the raw body
      }
      throw new Error(
        `demo history: POST ${request.path} (request ${sent + 1}) answered ${response.status}: ${message}`,
      );
    }
    sent++;
  }
  return { loaded: true, sent };
}
