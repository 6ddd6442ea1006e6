/**
 * Issue 19, in Chromium on both React lines: with many events the tab loads older ones as the user
 * scrolls (no "Load older events" button) down to the oldest, and a deployment's fold count comes
 * from the store, not from the rows loaded. On top of the demo history, auth gets 700 builds and then
 * a deployment, newer than the demo (so that deployment is the first row, open, with the builds and
 * the demo's events since its newest deployment under it), and a deployment older than all of it.
 */
import type { Browser, Page } from 'playwright-core';
import type { EventListResponse } from '../../src/backend/api/contract';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const PAGE_TEST_TIMEOUT = 120_000;
const WAIT = { timeout: 30_000 };
const BUILDS = 700;
const HOUR = 3_600_000;

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

function cdevent(id: string, type: string, time: number, source = 'https://ci.example.com/bulk') {
  const content = type.startsWith('service.') ? { environment: { id: 'bulk' }, artifactId: 'pkg:oci/auth@0.0.1' } : {};
  return {
    context: {
      specversion: '0.5.1',
      id,
      source,
      type: `dev.cdevents.${type}.0.3.0`,
      timestamp: new Date(time).toISOString(),
    },
    subject: { id: 'argocd/auth', content },
  };
}

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-infinite-e2e-', {}, async (started) => {
    const now = Date.now();
    const events = [
      // Within the 90 days kept, older than the demo history: the last row once everything is loaded.
      cdevent('bulk-oldest-deploy', 'service.deployed', now - 80 * 24 * HOUR, 'https://ci.example.com/oldest'),
      ...Array.from({ length: BUILDS }, (_, index) =>
        cdevent(`bulk-build-${index}`, 'build.finished', now + HOUR + index * 1000),
      ),
      cdevent('bulk-newest-deploy', 'service.upgraded', now + 2 * HOUR),
    ];
    const response = await fetch(`${started.backendUrl}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    if (response.status !== 200) throw new Error(`posting the bulk events answered ${response.status}`);
  }));
}, 300_000);

afterAll(() => close?.());

describe.each([
  { line: 'React 19', query: '' },
  { line: 'React 16.14', query: '&react=16' },
])('the timeline with 700 more events under $line host globals', ({ query }) => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = collectPageErrors(page);
    await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents${query}`);
    await page.locator('.cdevents-event').first().waitFor(WAIT);
  }, PAGE_TEST_TIMEOUT);
  afterAll(() => page?.close());

  it(
    'counts what folds under the newest deployment from the store, far beyond the first page of 200',
    async () => {
      // What the store counts, asked as the tab asks it (through the stand-in's proxy).
      const folds = await page.evaluate(async () => {
        const response = await fetch('extensions/cdevents/api/v1/applications/argocd/auth/events?limit=1', {
          headers: { 'Argocd-Application-Name': 'argocd:auth', 'Argocd-Project-Name': 'identity' },
        });
        return ((await response.json()) as EventListResponse).folds ?? {};
      });
      const counted = Object.values(folds)[0]!;
      expect(counted).toBeGreaterThanOrEqual(BUILDS);
      await page
        .getByRole('button', { name: `Hide ${counted} earlier events since the previous deployment` })
        .waitFor(WAIT);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'loads older events as the user scrolls, down to the oldest, with no button to click',
    async () => {
      await expect(page.getByRole('button', { name: /Load older events/ }).count()).resolves.toBe(0);
      const timeline = page.locator('.cdevents-timeline');
      const oldest = page.getByRole('button', { name: /from https:\/\/ci\.example\.com\/oldest/ });
      for (let step = 0; step < 300 && (await oldest.count()) === 0; step++) {
        await timeline.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
        await page.waitForTimeout(100);
      }
      await expect(oldest.count()).resolves.toBe(1);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );
});
