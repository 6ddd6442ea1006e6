/**
 * The whole product as a user meets it locally: `npm run build`, the tarball
 * unpacked by the installer's rules, the real backend with the demo history on a
 * fresh data dir, the Argo CD stand-in on free ports, and headless Chromium
 * opening a sample app and its CDEvents tab — once with React 19 host globals
 * (Argo CD >= 3.5) and once with React 16.14 (Argo CD <= 3.4).
 */
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

// Pages wait up to 30 s for the tab; a slow CI machine must not trip jest's 5 s default first.
const PAGE_TEST_TIMEOUT = 60_000;

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-e2e-'));
}, 300_000);

afterAll(() => close?.());

/** Opens the Applications page, clicks a tile, opens DETAILS and clicks the CDEvents tab, as a user would. */
async function openCDEventsTab(page: Page, query: string, app: string): Promise<void> {
  await page.goto(`${stack.devHostUrl}/applications${query}`);
  await page
    .getByRole('link', { name: new RegExp(`^${app}\\b`) })
    .first()
    .click();
  await page.getByRole('button', { name: /DETAILS/ }).click();
  await page.getByRole('tab', { name: /CDEvents/ }).click();
}

describe('first start on an empty store', () => {
  it('loads the demo history through the public routes', () => {
    expect(stack.demo.loaded).toBe(true);
    expect(stack.demo.sent).toBeGreaterThan(30);
  });
});

describe.each([
  { line: 'React 19', query: '', version: /^React 19\./ },
  { line: 'React 16.14', query: '?react=16', version: /^React 16\.14\.0$/ },
])('the CDEvents tab under $line host globals', ({ query, version }) => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = collectPageErrors(page);
    await openCDEventsTab(page, query, 'auth');
  }, PAGE_TEST_TIMEOUT);

  afterAll(async () => {
    await page?.close();
  });

  it('runs the shell on the chosen React line', async () => {
    await expect(page.getByTestId('react-version').textContent()).resolves.toMatch(version);
  });

  it(
    "shows auth's deploys and rollback, emitted for Argo CD, and what other tools sent about it, with why",
    async () => {
      const rows = page.locator('.cdevents-event');
      await rows.first().waitFor({ timeout: 30_000 });
      const text = (await page.getByRole('dialog').innerText()).toLowerCase();
      expect(text).toContain('service rolledback');
      expect(text).toContain('service upgraded');
      expect(text).toContain('argocd/auth');
      // The alert that caused the rollback, from the alerting tool, and the reason it belongs to auth.
      expect(text).toContain('incident resolved');
      expect(text).toContain('https://alertmanager.example.com');
      expect(text).toMatch(/why here: .*auth/);
      // rollback, upgrade, first deploy and the resolved incident; the rest fold under the deployments.
      expect(await rows.count()).toBeGreaterThanOrEqual(4);
    },
    PAGE_TEST_TIMEOUT,
  );

  // Regression: extensions.js registering between the shell's first render and its subscription left the tab missing.
  it(
    'opens straight on the tab from the URL npm start prints',
    async () => {
      const direct = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const directErrors = collectPageErrors(direct);
      try {
        const react = query ? '&react=16' : '';
        await direct.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents${react}`);
        await direct.locator('.cdevents-event').first().waitFor({ timeout: 30_000 });
        await expect(direct.getByRole('tab', { name: /CDEvents/ }).getAttribute('aria-selected')).resolves.toBe('true');
        expect(directErrors).toEqual([]);
      } finally {
        await direct.close();
      }
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    "shows the same events as a full-width view from the app's view switcher",
    async () => {
      const view = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const viewErrors = collectPageErrors(view);
      try {
        await view.goto(`${stack.devHostUrl}/applications/argocd/auth${query}`);
        await view.getByRole('button', { name: /CDEvents/ }).click();
        await view.locator('.devhost-view-content .cdevents-event').first().waitFor({ timeout: 30_000 });
        expect((await view.locator('.devhost-view-content').innerText()).toLowerCase()).toContain('service rolledback');
        expect(viewErrors).toEqual([]);
      } finally {
        await view.close();
      }
    },
    PAGE_TEST_TIMEOUT,
  );

  it('logs no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});

describe('the proxy extension in front of the real backend', () => {
  async function sessionCookie(): Promise<string> {
    const page = await fetch(`${stack.devHostUrl}/applications`);
    return (page.headers.get('set-cookie') ?? '').split(';')[0];
  }

  it('strips /extensions/cdevents, so the tab reaches the backend route /api/v1/applications/…/events', async () => {
    const response = await fetch(`${stack.devHostUrl}/extensions/cdevents/api/v1/applications/argocd/auth/events`, {
      headers: {
        cookie: await sessionCookie(),
        'Argocd-Application-Name': 'argocd:auth',
        'Argocd-Project-Name': 'identity',
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items.length).toBeGreaterThan(0);
  });

  it('answers 400 "Invalid headers" when the tab does not name its application', async () => {
    const response = await fetch(`${stack.devHostUrl}/extensions/cdevents/api/v1/applications/argocd/auth/events`, {
      headers: { cookie: await sessionCookie() },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Invalid headers: /);
  });

  it('is the only way in: the backend refuses the same request without the proxy secret', async () => {
    const response = await fetch(`${stack.backendUrl}/api/v1/applications/argocd/auth/events`, {
      headers: { 'Argocd-Application-Name': 'argocd:auth', 'Argocd-Project-Name': 'identity' },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('x-cdevents-proxy-secret');
  });
});
