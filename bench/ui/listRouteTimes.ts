/**
 * The backend's part of the tab's first rows with 10,000 events: the list route's store work for a
 * first page of 200 (listAppEvents) plus its fold counts (countFolds), on PGlite (the default store),
 * beside listAppEvents alone as the same-run baseline. Two shapes: a deployment every eighth event,
 * and one deployment with all 9,999 others under it (the longest gap a count can scan). Each first
 * right after the events were stored, with the statistics the store keeps itself (PGlite has no
 * autovacuum: store/keepPgliteStatistics.ts runs ANALYZE at most every 10 s, so the newest events may
 * not be counted yet), then after a full ANALYZE.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildNewEvent } from '../../src/backend/api/buildNewEvent';
import { countFolds } from '../../src/backend/store/countFolds';
import { createStore } from '../../src/backend/store/createStore';
import type { EventStore } from '../../src/backend/store/types';

export interface ListRouteTimes {
  shape: string;
  /** Whether a full ANALYZE ran after seeding; else the statistics are those the store keeps as it goes. */
  analyzed: boolean;
  baselineP95: number;
  routeP95: number;
  routeMedian: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

async function seed(store: EventStore, name: string, count: number, isDeployment: (index: number) => boolean) {
  const start = Date.parse('2026-11-24T12:00:00Z');
  for (let from = 0; from < count; from += 500) {
    const batch = Array.from({ length: Math.min(500, count - from) }, (_, offset) => {
      const index = from + offset;
      const type = isDeployment(index) ? 'service.deployed.0.3.0' : 'build.finished.0.2.0';
      return buildNewEvent({
        context: {
          specversion: '0.5.1',
          id: `${name}-${index}`,
          source: 'https://ci.example.com/bench',
          type: `dev.cdevents.${type}`,
          timestamp: new Date(start - index * 60_000).toISOString(),
        },
        subject: { id: `argocd/${name}`, content: {} },
      });
    });
    await store.insertEvents(batch);
  }
}

export async function measureListRoute(count: number, samples: number): Promise<ListRouteTimes[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-list-'));
  const store = await createStore({ databaseUrl: undefined, dataDir, databasePoolSize: 1 });
  try {
    const shapes = [
      { name: 'every-eighth', label: 'a deployment every 8th event', isDeployment: (i: number) => i % 8 === 0 },
      { name: 'one-fold', label: 'one deployment, 9,999 events under it', isDeployment: (i: number) => i === 0 },
    ];
    const results: ListRouteTimes[] = [];
    for (const shape of shapes) await seed(store, shape.name, count, shape.isDeployment);
    for (const analyzed of [false, true]) {
      if (analyzed) await store.sql.query('ANALYZE');
      for (const shape of shapes) results.push(await time(shape, analyzed));
    }
    return results;

    async function time(shape: (typeof shapes)[number], analyzed: boolean): Promise<ListRouteTimes> {
      const query = { app: { instance: 'default', namespace: 'argocd', name: shape.name }, limit: 200 };
      const baseline: number[] = [];
      const route: number[] = [];
      for (let i = 0; i < samples + 1; i++) {
        let t0 = performance.now();
        await store.listAppEvents(query);
        const plain = performance.now() - t0;
        t0 = performance.now();
        const page = await store.listAppEvents(query);
        await countFolds(store.sql, { app: query.app }, { ...page, olderMayFollow: page.next !== null });
        const withFolds = performance.now() - t0;
        if (i === 0) continue; // warm-up
        baseline.push(plain);
        route.push(withFolds);
      }
      return {
        shape: shape.label,
        analyzed,
        baselineP95: percentile(baseline, 95),
        routeP95: percentile(route, 95),
        routeMedian: median(route),
      };
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
