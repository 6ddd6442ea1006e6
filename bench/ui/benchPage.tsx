/**
 * The page bench/ui.ts loads in headless Chromium: React 19 bundled in, the real EventsPanel
 * behind an in-page API whose answer the bench releases, and a plain non-virtual list as the
 * same-run baseline.
 */
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { EventRecord } from '../../src/backend/api/contract';
import { ApiContext } from '../../src/ui/api/ApiContext';
import type { ApiResult, CDEventsApi, EventListResult } from '../../src/ui/api/types';
import { EventsPanel } from '../../src/ui/components/EventsPanel';
import '../../src/ui/components/CDEventsView.css';
import { DEFAULT_VIEW } from '../../src/ui/viewState/viewState';

const SUBJECTS: Array<[string, string]> = [
  ['service', 'deployed'],
  ['artifact', 'published'],
  ['change', 'merged'],
  ['pipelinerun', 'finished'],
  ['testsuiterun', 'finished'],
  ['incident', 'detected'],
  ['service', 'upgraded'],
  ['build', 'finished'],
];

/** `flat`: no deployments, so nothing folds and every event is a row (the worst case for the list). */
function buildEvents(count: number, flat = false): EventRecord[] {
  const start = Date.parse('2026-11-24T12:00:00Z');
  const subjects = flat ? SUBJECTS.filter(([subject]) => subject !== 'service') : SUBJECTS;
  return Array.from({ length: count }, (_, i) => {
    const [subject, predicate] = subjects[i % subjects.length];
    const direction = subject === 'service' ? 'emitted' : 'received';
    const id = `event-${i}`;
    return {
      key: `key-${i}`,
      source: direction === 'emitted' ? '/argocd/default/argocd' : 'https://ci.example.com',
      id,
      type: `dev.cdevents.${subject}.${predicate}.0.2.0`,
      subject,
      predicate,
      typeVersion: '0.2.0',
      specVersion: '0.4.1',
      timestamp: new Date(start - i * 600_000).toISOString(),
      receivedAt: new Date(start - i * 600_000 + 1000).toISOString(),
      subjectId: `argocd/guestbook-${i % 7}`,
      chainId: null,
      links: [],
      verdict: i % 17 === 0 ? 'invalid' : 'valid',
      problems: i % 17 === 0 ? [{ pointer: '/subject/id', message: 'must not be empty' }] : [],
      direction,
      attributions: [{ rule: direction === 'emitted' ? 'emitted' : 'artifact', detail: 'deploys pkg:oci/guestbook' }],
      reconstructed: false,
      payload: {
        context: { id, type: `dev.cdevents.${subject}.${predicate}.0.2.0` },
        subject: { id: 'x', content: {} },
      },
    };
  });
}

function PlainList({ events }: { events: EventRecord[] }) {
  return (
    <div className="bench-plain" style={{ height: 700, overflowY: 'auto' }}>
      {events.map((event) => (
        <div key={event.key} className="bench-row" style={{ padding: '6px 12px', borderBottom: '1px solid #ddd' }}>
          <strong>
            {event.subject} {event.predicate}
          </strong>{' '}
          <span>{event.subjectId}</span> <span>{event.source}</span>{' '}
          <time title={event.timestamp ?? ''}>{event.timestamp}</time>
        </div>
      ))}
    </div>
  );
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Waits until `selector` is in the page, then for the frame that paints it; returns that time. */
async function waitForPaint(selector: string): Promise<number> {
  while (!document.querySelector(selector)) await nextFrame();
  await nextFrame();
  return performance.now();
}

let root: Root | undefined;
function remount(): HTMLElement {
  root?.unmount();
  document.body.innerHTML = '<div id="bench-root" style="height:900px"></div>';
  const container = document.getElementById('bench-root')!;
  root = createRoot(container);
  return container;
}

/** Time from the list's answer arriving to the first painted frame showing rows, in ms. */
async function firstRender(kind: 'timeline' | 'timeline-flat' | 'plain', count: number): Promise<number> {
  const events = buildEvents(count, kind === 'timeline-flat');
  remount();
  if (kind === 'plain') {
    const t0 = performance.now();
    root!.render(<PlainList events={events} />);
    return (await waitForPaint('.bench-row')) - t0;
  }
  let release!: (value: ApiResult<EventListResult>) => void;
  const api: CDEventsApi = {
    listEvents: () => new Promise((resolve) => (release = resolve)),
    getEvent: () => new Promise(() => undefined),
    getDeliveries: () => new Promise(() => undefined),
  };
  root!.render(
    <ApiContext.Provider value={api}>
      <div className="cdevents-root cdevents-root--page">
        <EventsPanel
          app={{ namespace: 'argocd', name: 'guestbook', project: 'default' }}
          view={DEFAULT_VIEW}
          onViewChange={() => undefined}
          options={{ pageSize: count, pollIntervalMs: 0 }}
        />
      </div>
    </ApiContext.Provider>,
  );
  while (!release) await nextFrame();
  const t0 = performance.now();
  release({ ok: true, value: { status: 'page', page: { items: events, nextCursor: null }, etag: null } });
  return (await waitForPaint('.cdevents-event')) - t0;
}

/** Scrolls the list 120 frames at `step` px a frame; returns each frame's duration in ms. */
async function scrollFrames(selector: string, step = 120, frames = 120): Promise<number[]> {
  const element = document.querySelector<HTMLElement>(selector)!;
  const durations: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < frames; i++) {
    element.scrollTop += step;
    const now = await nextFrame();
    durations.push(now - last);
    last = now;
  }
  return durations;
}

const isAnchor = (event: EventRecord) =>
  event.subject === 'service' && ['deployed', 'upgraded', 'rolledback'].includes(event.predicate ?? '');

/** What the backend's list route sends: for each deployment on the page, the events back to the next one. */
function countFolds(all: EventRecord[], start: number, end: number): Record<string, number> {
  const folds: Record<string, number> = {};
  for (let at = start; at < end; at++) {
    if (!isAnchor(all[at])) continue;
    let next = at + 1;
    while (next < all.length && !isAnchor(all[next])) next += 1;
    folds[all[at].key] = next - at - 1;
  }
  return folds;
}

/** How many older pages the paged API served since the last mount, and whether the last one is out. */
const paging = { pagesServed: 0, done: false };

/**
 * The real tab's path with infinite loading: the API holds `count` events and answers pages of the
 * tab's own size (200) with the store's fold counts. Time from the first page's answer to the first
 * painted frame with rows, in ms; older pages are answered at once when the timeline asks.
 */
async function firstRenderPaged(count: number): Promise<number> {
  const events = buildEvents(count);
  paging.pagesServed = 0;
  paging.done = false;
  remount();
  const pageOf = (start: number, limit: number): ApiResult<EventListResult> => {
    const items = events.slice(start, start + limit);
    const end = start + items.length;
    if (end >= events.length) paging.done = true;
    return {
      ok: true,
      value: {
        status: 'page',
        page: { items, nextCursor: end < events.length ? String(end) : null, folds: countFolds(events, start, end) },
        etag: null,
      },
    };
  };
  let release: (() => void) | undefined;
  const api: CDEventsApi = {
    listEvents: (_app, query) => {
      const limit = query.limit ?? 200;
      if (query.cursor === undefined) {
        // Built before the clock starts: the figure is the tab's work, not the stand-in API's.
        const first = pageOf(0, limit);
        return new Promise((resolve) => (release = () => resolve(first)));
      }
      paging.pagesServed += 1;
      return Promise.resolve(pageOf(Number(query.cursor), limit));
    },
    getEvent: () => new Promise(() => undefined),
    getDeliveries: () => new Promise(() => undefined),
  };
  root!.render(
    <ApiContext.Provider value={api}>
      <div className="cdevents-root cdevents-root--page">
        <EventsPanel
          app={{ namespace: 'argocd', name: 'guestbook', project: 'default' }}
          view={DEFAULT_VIEW}
          onViewChange={() => undefined}
          options={{ pollIntervalMs: 0 }}
        />
      </div>
    </ApiContext.Provider>,
  );
  while (!release) await nextFrame();
  const t0 = performance.now();
  release();
  return (await waitForPaint('.cdevents-event')) - t0;
}

/**
 * Scrolls the paged timeline `step` px a frame until every page is loaded and the end is in view;
 * returns each frame's duration, the pages loaded and the events then in the list.
 */
async function scrollToEnd(step = 120, maxFrames = 20_000): Promise<{ frames: number[]; pages: number }> {
  const element = document.querySelector<HTMLElement>('.cdevents-timeline')!;
  const durations: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < maxFrames; i++) {
    element.scrollTop += step;
    const now = await nextFrame();
    durations.push(now - last);
    last = now;
    if (paging.done && element.scrollTop + element.clientHeight >= element.scrollHeight - 1) break;
  }
  return { frames: durations, pages: paging.pagesServed };
}

(window as unknown as Record<string, unknown>).cdeventsBench = {
  firstRender,
  scrollFrames,
  firstRenderPaged,
  scrollToEnd,
};
