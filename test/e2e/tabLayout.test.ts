/**
 * Issue 19, what a user sees at 1440×900 in the stand-in with the demo history: the summary strip
 * shows its details whole, the stand-in's app list breaks no word in two, and the event drawer stays in view
 * with its Close button when the chain opens above the timeline and when its raw JSON is scrolled; the
 * stand-in's theme switch is not covered by the Details panel (argo-ui's sliding panel shades the whole page).
 * Layout only a browser computes, so these run in Chromium, not jsdom.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const PAGE_TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 30_000 };
const VIEWPORT = { width: 1440, height: 900 };

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-layout-e2e-'));
  page = await browser.newPage({ viewport: VIEWPORT });
  errors = collectPageErrors(page);
}, 300_000);

afterAll(() => close?.());

/** Whether the element's box lies inside the viewport. */
async function isInViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= VIEWPORT.height && box.x + box.width <= VIEWPORT.width;
}

describe('the tab at 1440×900', () => {
  it(
    'shows every summary detail whole, without an ellipsis or a clipped line',
    async () => {
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents`);
      await page.locator('.cdevents-summary__detail').first().waitFor(WAIT);
      const clipped = await page
        .locator('.cdevents-summary__detail')
        .evaluateAll((details) =>
          details
            .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
            .map((el) => el.textContent),
        );
      expect(clipped).toEqual([]);
      // The lead time's detail is the one that was cut ("median artifact → deploy, 2 of 2…").
      await expect(page.locator('[data-figure="lead-time"] .cdevents-summary__detail').innerText()).resolves.toMatch(
        /of \d+ deployments?$/,
      );
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'keeps the open event drawer and its Close in view when the chain opens, and while its JSON scrolls',
    async () => {
      await page.getByRole('button', { name: /^emitted service rolledback/ }).click();
      const drawer = page.getByRole('dialog', { name: /^Event details/ });
      const closeButton = drawer.getByRole('button', { name: 'Close details' });
      await closeButton.waitFor(WAIT);
      await drawer.getByRole('link', { name: /show the causal chain/ }).click();
      await page.getByRole('region', { name: 'Causal chain' }).locator('svg.cdevents-chain__svg').waitFor(WAIT);
      await expect(isInViewport(closeButton)).resolves.toBe(true);
      await expect(isInViewport(drawer.getByRole('heading', { name: /service rolledback/i }))).resolves.toBe(true);

      // Scrolled to the end of its raw JSON, the drawer still shows its title and Close.
      // The raw JSON wraps inside the drawer, though Argo CD's app details page sets its <pre>s not to wrap.
      const json = drawer.locator('pre.cdevents-json__text');
      await expect(json.evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
      await drawer.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect(drawer.evaluate((el) => el.scrollTop > 0)).resolves.toBe(true);
      await expect(isInViewport(closeButton)).resolves.toBe(true);
      const [drawerBox, closeBox] = await Promise.all([drawer.boundingBox(), closeButton.boundingBox()]);
      expect(closeBox!.y).toBeGreaterThanOrEqual(drawerBox!.y);
      await closeButton.click();
      await expect(drawer.count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );
});

describe("the stand-in's application list at 1440×900", () => {
  it(
    'breaks no word across two lines, and gives a cut value whole on hover',
    async () => {
      await page.goto(`${stack.devHostUrl}/applications`);
      await page.locator('.devhost-tile dd').first().waitFor(WAIT);
      // Each run of non-space characters must sit on one line: one client rect for its range.
      const broken = await page.locator('.devhost-tile dd').evaluateAll((values) =>
        values.flatMap((value) => {
          const text = value.firstChild;
          if (!text || text.nodeType !== Node.TEXT_NODE) return [];
          const words: string[] = [];
          for (const match of (text.textContent ?? '').matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(text, match.index);
            range.setEnd(text, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            if (lines.size > 1) words.push(match[0]);
          }
          return words;
        }),
      );
      expect(broken).toEqual([]);
      // A value too long for its tile is cut with an ellipsis, as in Argo CD, and given whole on hover.
      const store = page.locator('.devhost-tile', { hasText: 'store' }).locator('dd').nth(2);
      await expect(store.getAttribute('title')).resolves.toBe(
        'https://charts.example.com, https://github.com/example-org/store-config',
      );
    },
    PAGE_TEST_TIMEOUT,
  );
});

describe("the stand-in's theme switch at 1440×900", () => {
  it(
    'is the topmost element at its centre while the Details panel is open, and switches the theme',
    async () => {
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&theme=light`);
      await page.getByRole('dialog', { name: 'auth details' }).waitFor(WAIT);
      const toggle = page.getByTestId('theme-toggle');
      await expect(isInViewport(toggle)).resolves.toBe(true);
      // What a click at the button's centre would reach: the button, not the panel or its shade.
      const topmost = await toggle.evaluate((button) => {
        const box = button.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return hit !== null && button.contains(hit);
      });
      expect(topmost).toBe(true);
      await toggle.click({ trial: true });
      await toggle.click();
      await page.locator('.theme-dark .cdevents-root').waitFor(WAIT);
      await expect(toggle.innerText()).resolves.toBe('Light mode');
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );
});
