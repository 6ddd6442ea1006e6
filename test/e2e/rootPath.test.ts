/**
 * Argo CD served under a root path (`argocd-server --rootpath /argocd`, or a
 * reverse proxy's --basehref): `<base href="/argocd/">`, extensions.js and the
 * proxy extension under /argocd/. The tab must resolve its backend URLs against
 * document.baseURI; a `/`-absolute URL would miss the proxy here, as it would
 * in such an install.
 */
import type { Browser } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-rootpath-', { rootPath: '/argocd' }));
}, 300_000);

afterAll(() => close?.());

it('serves everything under the root path only', async () => {
  expect(stack.devHostUrl).toMatch(/\/argocd$/);
  const origin = new URL(stack.devHostUrl).origin;
  expect((await fetch(`${origin}/extensions.js`)).status).toBe(404);
  expect((await fetch(`${stack.devHostUrl}/extensions.js`)).status).toBe(200);
  expect(await (await fetch(`${stack.devHostUrl}/applications`)).text()).toContain('<base href="/argocd/" />');
});

it('shows the demo events in the tab, fetched through /argocd/extensions/cdevents/', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = collectPageErrors(page);
  const apiCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/extensions/cdevents/')) apiCalls.push(new URL(request.url()).pathname);
  });
  try {
    await page.goto(`${stack.devHostUrl}/applications`);
    await page
      .getByRole('link', { name: /^auth\b/ })
      .first()
      .click();
    expect(new URL(page.url()).pathname).toBe('/argocd/applications/argocd/auth');
    await page.getByRole('button', { name: /DETAILS/ }).click();
    await page.getByRole('tab', { name: /CDEvents/ }).click();
    await page.locator('.cdevents-event').first().waitFor({ timeout: 30_000 });
    expect((await page.getByRole('dialog').innerText()).toLowerCase()).toContain('service rolledback');
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.every((path) => path.startsWith('/argocd/extensions/cdevents/api/v1/'))).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}, 60_000);
