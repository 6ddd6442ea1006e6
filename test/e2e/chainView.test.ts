/**
 * Issue 6 in the browser: the chain view of auth's rollback, through the whole
 * local product (the built tarball, the real backend with the demo history, the
 * Argo CD stand-in, headless Chromium), under React 19 and React 16.14 host
 * globals. The demo's story, as the chain draws it:
 *
 *   change.merged ◀─TRIGGER─ pipelinerun.started ◀─PATH─ build.finished ◀─PATH─ artifact.published (auth 1.14.0)
 *     ┄purl┄ auth upgraded ┄purl┄ incident.detected ◀─TRIGGER─ auth rolledback
 *   and auth-staging's deploys of the same images (links to auth-staging's CDEvents view)
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const PAGE_TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 30_000 };

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-chain-e2e-'));
}, 300_000);

afterAll(() => close?.());

/** The chain panel's graph, once drawn. */
async function waitForChain(page: Page): Promise<Locator> {
  const panel = page.getByRole('region', { name: 'Causal chain' });
  await panel.locator('svg.cdevents-chain__svg').waitFor(WAIT);
  return panel;
}

/** Opens the event's chain from the open drawer's "show the causal chain" link. */
async function showChainFromDrawer(page: Page): Promise<Locator> {
  await page
    .getByRole('dialog')
    .getByRole('link', { name: /show the causal chain/ })
    .click();
  return waitForChain(page);
}

/** The event drawer (the shell's sliding panel is a dialog too). */
function drawerOf(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Event details/ });
}

function openEventKey(page: Page): string | null {
  return new URL(page.url()).searchParams.get('cde_event');
}

/**
 * The open event as the URL shows it once the click's state update has landed:
 * under React 16.14 the URL is written a tick after the click, so read it when
 * it names `expected` (or after 5 s, whatever it names then).
 */
async function settledOpenEventKey(page: Page, expected: string | null): Promise<string | null> {
  await page
    .waitForFunction((key) => new URL(location.href).searchParams.get('cde_event') === key, expected, {
      timeout: 5_000,
    })
    .catch(() => undefined);
  return openEventKey(page);
}

describe.each([
  { line: 'React 19', react: '' },
  { line: 'React 16.14', react: '&react=16' },
])("the chain view in auth's tab under $line host globals", ({ react }) => {
  let page: Page;
  let errors: string[];
  let chain: Locator;

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = collectPageErrors(page);
    await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents${react}`);
    await page.locator('.cdevents-event').first().waitFor(WAIT);
  }, PAGE_TEST_TIMEOUT);

  afterAll(async () => {
    await page?.close();
  });

  it(
    'opens the rollback, and its chain reaches the merged change',
    async () => {
      await page.getByRole('button', { name: /^emitted service rolledback/ }).click();
      await expect(drawerOf(page).innerText()).resolves.toMatch(/service rolledback/i);
      chain = await showChainFromDrawer(page);
      const start = chain.locator('[aria-label*="the event the chain starts from"]');
      await expect(start.getAttribute('aria-label')).resolves.toMatch(/^service rolledback/);
      await expect(chain.locator('[aria-label^="incident detected"]').count()).resolves.toBeGreaterThan(0);
      await expect(chain.locator('[aria-label^="artifact published"]').count()).resolves.toBeGreaterThan(0);
      await expect(chain.locator('[aria-label^="change merged"]').count()).resolves.toBeGreaterThan(0);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'opens at a zoom where every node text is at least 11 px on screen, with the rollback in view and a hint that the view scrolls',
    async () => {
      const smallest = await chain
        .locator('svg.cdevents-chain__svg')
        .evaluate((svg) =>
          Math.min(
            ...[...svg.querySelectorAll('[data-event-key] text')].map(
              (text) => (text as SVGTextElement).getScreenCTM()!.a * parseFloat(getComputedStyle(text).fontSize),
            ),
          ),
        );
      expect(smallest).toBeGreaterThanOrEqual(11);
      const start = chain.locator('[aria-label*="the event the chain starts from"]');
      const [startBox, viewBox] = await Promise.all([
        start.boundingBox(),
        chain.locator('.cdevents-chain__viewport').boundingBox(),
      ]);
      expect(startBox!.x).toBeGreaterThanOrEqual(viewBox!.x);
      expect(startBox!.x + startBox!.width).toBeLessThanOrEqual(viewBox!.x + viewBox!.width);
      expect(startBox!.y).toBeGreaterThanOrEqual(viewBox!.y);
      expect(startBox!.y + startBox!.height).toBeLessThanOrEqual(viewBox!.y + viewBox!.height);
      // auth's chain (twelve columns) is wider than the tab, so the view says it scrolls.
      await expect(chain.getByRole('note').innerText()).resolves.toMatch(/scroll sideways/);
      const legend = await chain
        .locator('.cdevents-chain__legend-line')
        .evaluateAll((lines) => lines.map((line) => getComputedStyle(line).borderTopStyle));
      expect(legend).toEqual(['solid', 'dashed']);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'opens an event of this app with a click on its node',
    async () => {
      const node = chain.getByRole('button', { name: /^artifact published/ }).first();
      const key = await node.getAttribute('data-event-key');
      await node.click();
      expect(await settledOpenEventKey(page, key)).toBe(key);
      await expect(drawerOf(page).innerText()).resolves.toMatch(/artifact published/i);
      // The chain stays, drawn from the event it was asked for (once it has drawn again after the click).
      const start = chain.locator('[aria-label*="the event the chain starts from"]');
      await start.first().waitFor({ state: 'visible' });
      await expect(start.count()).resolves.toBe(1);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'reaches the nodes with Tab and opens one with Enter',
    async () => {
      await chain.getByRole('button', { name: 'Zoom in' }).focus();
      let focused: { key: string | null; label: string | null } = { key: null, label: null };
      for (let presses = 0; presses < 5 && focused.key === null; presses += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => ({
          key: document.activeElement?.getAttribute('data-event-key') ?? null,
          label: document.activeElement?.getAttribute('aria-label') ?? null,
        }));
      }
      expect(focused.key).not.toBeNull();
      // Move on to a node of this app (another app's node is a link, which Enter follows instead).
      for (let presses = 0; presses < 40 && !/: open$/.test(focused.label ?? ''); presses += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => ({
          key: document.activeElement?.getAttribute('data-event-key') ?? null,
          label: document.activeElement?.getAttribute('aria-label') ?? null,
        }));
      }
      expect(focused.label).toMatch(/: open$/);
      await page.keyboard.press('Enter');
      expect(await settledOpenEventKey(page, focused.key)).toBe(focused.key);
      await expect(drawerOf(page).isVisible()).resolves.toBe(true);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    "follows another app's event to that app's CDEvents view with the event open, whose chain also reaches the merged change",
    async () => {
      const link = chain
        .locator('a.cdevents-chain__link', { has: page.locator('.cdevents-chain__node--deploy') })
        .first();
      const label = await link.getAttribute('aria-label');
      expect(label).toMatch(/in argocd\/auth-staging: open that app's CDEvents$/);
      const key = await link.getAttribute('data-event-key');
      await link.click();
      await page.waitForURL(/\/applications\/argocd\/auth-staging\?/, WAIT);
      const url = new URL(page.url());
      expect(url.searchParams.get('view')).toBe('CDEvents');
      expect(url.searchParams.get('cde_event')).toBe(key);
      const drawer = drawerOf(page);
      await drawer.waitFor(WAIT);
      // The drawer shows the event the node named ("service deployed, deploy stage, in …").
      const described = (label ?? '').split(',')[0]!;
      expect(described).toMatch(/^service (deployed|upgraded)$/);
      await expect(drawer.innerText()).resolves.toContain(described);
      await expect(drawer.innerText()).resolves.toContain('argocd/auth-staging');
      const stagingChain = await showChainFromDrawer(page);
      await expect(stagingChain.locator('[aria-label^="change merged"]').count()).resolves.toBeGreaterThan(0);
    },
    PAGE_TEST_TIMEOUT,
  );

  it('logs no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
