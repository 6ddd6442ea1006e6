/**
 * Hostile payloads render as text, in a real browser: events whose fields carry
 * <script>, HTML with event handlers and `javascript:` URLs are stored as sent
 * (they are data), and the tab shows them literally, never runs them and never
 * turns a non-http(s) value into a link. Real backend, the Argo CD stand-in and
 * headless Chromium, under both React lines.
 */
import type { Browser, Page } from 'playwright-core';
import { createEvent } from '../../src/cdevents';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const scriptTag = '<script>window.__pwned = "script"</script>';
const imgTag = '<img src=x onerror="window.__pwned = \'img\'">';

const hostileEvents = [
  createEvent({
    type: 'pipelinerun.finished',
    source: 'https://ci.example.com/hostile',
    id: 'hostile-pipeline',
    subject: {
      id: 'argocd/auth',
      content: {
        pipelineName: imgTag,
        uri: 'javascript:void(window.__pwned=1)',
        outcome: 'failure',
        errors: scriptTag,
      },
    },
    customData: { note: scriptTag, url: 'javascript:window.__pwned="custom"', link: 'JaVaScRiPt:window.__pwned=1' },
  }),
  {
    // Not a valid CDEvent (the artifactId is not what the spec allows to be empty, and more): stored and shown too.
    context: {
      specversion: '0.5.1',
      id: 'hostile-invalid',
      source: 'javascript:void(window.__pwned=2)',
      type: 'dev.cdevents.service.deployed.0.3.0',
      timestamp: new Date().toISOString(),
    },
    subject: {
      id: 'argocd/auth',
      content: { environment: { id: imgTag }, artifactId: '"><svg onload=window.__pwned=7>' },
    },
  },
];

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-e2e-hostile-', { demo: false }, async (started) => {
    const response = await fetch(`${started.backendUrl}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hostileEvents),
    });
    expect(response.status).toBe(200);
  }));
}, 300_000);

afterAll(() => close?.());

describe.each([
  { line: 'React 19', query: '' },
  { line: 'React 16.14', query: '&react=16' },
])('hostile payloads in auth’s CDEvents tab under $line', ({ query }) => {
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents${query}`);
    await page.locator('.cdevents-event').nth(1).waitFor({ timeout: 30_000 });
    // Open every row's drawer and its raw JSON, where every field is on screen.
    for (let index = 0; index < 2; index++) {
      await page.locator('.cdevents-event').nth(index).click();
      const drawer = page.getByRole('dialog', { name: /Event details/ });
      await drawer.waitFor();
      const raw = drawer.getByRole('button', { name: /raw JSON/i });
      if (await raw.count()) await raw.first().click();
      await page.keyboard.press('Escape');
    }
    await page.locator('.cdevents-event').first().click();
  }, 90_000);

  afterAll(async () => {
    await page?.close();
  });

  it('runs none of it: no script, handler or javascript: URL executed, no dialog', async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('injects no element from a payload', async () => {
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"]').length,
      svgs: document.querySelectorAll('svg[onload]').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__pwned')).length,
      handlers: document.querySelectorAll('[onerror]').length,
    }));
    expect(injected).toEqual({ images: 0, svgs: 0, scripts: 0, handlers: 0 });
  });

  it('makes no link of a javascript: value, in any case', async () => {
    const hrefs = await page.evaluate(() =>
      [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
    );
    expect(hrefs.filter((href) => !/^(https?:|\/|\.|[^:]*$)/i.test(href ?? ''))).toEqual([]);
  });

  it('shows the payloads literally, as text', async () => {
    const text = await page.locator('body').innerText();
    expect(text).toContain('javascript:void(window.__pwned=2)');
    const drawer = await page.getByRole('dialog', { name: /Event details/ }).innerText();
    expect(drawer).toMatch(/<img src=x onerror=|<script>window.__pwned/);
  });
});
