/**
 * Use cases 1 and 2 where a person looks, in headless Chromium: the developer
 * dashboard in Argo CD's sidebar, filtered by what the user's Argo CD role
 * allows, and the instance badge of an app's tab when two Argo CD instances
 * (stand-ins `east` and `west`, each with its own proxy header) share one
 * backend on PostgreSQL. The demo user may get the apps of projects identity
 * and web, not commerce (the app `store`).
 */
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser } from '../helpers/browser';
import { startStandInStack, type StandInStack } from './startStandInStack';

let stack: StandInStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStandInStack({ instances: ['east', 'west'], userProjects: ['identity', 'web'] });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('developer dashboard: what is running right now, where is the bottleneck, how long did end-to-end take (in the browser)', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors = collectPageErrors(page);
    await page.goto(`${stack.standIns.east!.url}/applications`);
    await page.getByRole('link', { name: /CDEvents/ }).click();
    await page.getByTestId('cdevents-dashboard-running').waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(() => page?.close());

  it('opens from the sidebar item "CDEvents" at /cdevents', () => {
    expect(new URL(page.url()).pathname).toBe('/cdevents');
  });

  it('answers the three questions under their own headings', async () => {
    for (const question of [
      'What is running right now?',
      'Where is the bottleneck?',
      'How long did end-to-end take?',
    ]) {
      await expect(page.getByRole('heading', { name: question }).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByTestId('cdevents-dashboard-bottleneck').textContent()).resolves.toMatch(
      /Slowest step: \w+ → \w+, median/,
    );
    await expect(page.getByTestId('cdevents-dashboard-end-to-end').textContent()).resolves.toMatch(
      /Median change → deploy:/,
    );
  });

  it("shows what runs where for the apps the user's Argo CD role allows, and not the others", async () => {
    const apps = await page
      .getByTestId('cdevents-dashboard-running')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(new Set(apps)).toEqual(new Set(['auth', 'auth-staging', 'portal', 'admin']));
    await expect(page.getByTestId('cdevents-dashboard-scope').textContent()).resolves.toMatch(
      /^4 applications you may see in Argo CD/,
    );
  });

  it('shows what runs where as apps × environments, staging before production, each production cell compared with staging (issue 19)', async () => {
    const matrix = page.getByTestId('cdevents-dashboard-running');
    await expect(matrix.locator('thead th').allTextContents()).resolves.toEqual([
      'Application',
      'staging',
      'production',
    ]);
    // auth runs in production, auth-staging in staging: the two are one artifact's stages.
    const production = matrix
      .locator('tr', { has: page.getByRole('link', { name: 'auth', exact: true }) })
      .locator('[data-column="production"]');
    await expect(production.innerText()).resolves.toMatch(
      /^auth \S+[\s\S]*for \d+ (s|min|h|d)[\s\S]*(differs from|same as) staging/,
    );
    await expect(page.getByTestId('cdevents-dashboard-trends').getByRole('img').count()).resolves.toBe(4 * 4);
  });

  it('links each app to its CDEvents view', async () => {
    const href = await page
      .getByTestId('cdevents-dashboard-running')
      .getByRole('link', { name: 'portal' })
      .first()
      .getAttribute('href');
    expect(href).toMatch(/\/applications\/argocd\/portal\?view=CDEvents&cde_event=/);
  });

  it('logs no errors while it loads and renders', () => {
    expect(errors).toEqual([]);
  });

  it('cannot get another app’s data by asking the backend directly: Argo CD’s proxy refuses it', async () => {
    const answer = await page.evaluate(async () => {
      const response = await fetch('extensions/cdevents/api/v1/applications/argocd/store/dashboard', {
        headers: { 'Argocd-Application-Name': 'argocd:store', 'Argocd-Project-Name': 'commerce' },
      });
      return { status: response.status, text: await response.text() };
    });
    expect(answer).toEqual({ status: 401, text: 'Unauthorized extension request\n' });
  });
});

describe('many Argo CD instances, one event stream: the tab says which instance it shows (in the browser)', () => {
  it.each(['east', 'west'])("shows the badge of instance %s in auth's tab on that instance", async (instance) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${stack.standIns[instance]!.url}/applications/argocd/auth?view=CDEvents`);
      await page.getByTestId('cdevents-instance').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('cdevents-instance').textContent()).resolves.toBe(`Argo CD instance ${instance}`);
    } finally {
      await page.close();
    }
  });
});
