/**
 * Issue 8 through the Triggers view (issue 19: a view of its own beside Events) in headless Chromium, on the local stack
 * (`npm start`'s parts) with its in-process Kubernetes and Argo CD API
 * stand-ins: a user creates an inbound rule in auth's tab, an artifact.published
 * arrives, the rule syncs auth once to the artifact's version, the panel shows
 * the firing, and auth's next service.upgraded links back to the artifact.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../helpers/build';
import { collectPageErrors, launchBrowser } from '../helpers/browser';
import { startLocalStack, type LocalStack } from '../../src/dev-host/startLocalStack';

jest.setTimeout(120_000);

let stack: LocalStack;
let browser: Browser;
let page: Page;
let errors: string[];
let dataDir: string;

beforeAll(async () => {
  const tarPath = ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'cdevents-e2e-triggers-'));
  stack = await startLocalStack({ tarPath, dataDir, backendPort: 0, devHostPort: 0 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  errors = collectPageErrors(page);
  await page.goto(`${stack.devHostUrl}/applications`);
  await page
    .getByRole('link', { name: /^auth\b/ })
    .first()
    .click();
  await page.getByRole('button', { name: /DETAILS/ }).click();
  await page.getByRole('tab', { name: /CDEvents/ }).click();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** GET through the stand-in's proxy from the page, with its cookie and the two headers, as the tab does. */
async function readFromPage<T>(path: string): Promise<T> {
  return page.evaluate(async (url) => {
    const response = await fetch(url, {
      headers: { 'Argocd-Application-Name': 'argocd:auth', 'Argocd-Project-Name': 'identity' },
    });
    return (await response.json()) as T;
  }, `${stack.devHostUrl}/extensions/cdevents/api/v1/${path}`);
}

describe('the Triggers panel in auth’s CDEvents tab', () => {
  it('creates an inbound rule, shows its field errors first, and what it calls in Argo CD', async () => {
    // Triggers are a view of their own in the tab, beside Events, and the URL says which is open.
    await page.getByRole('tab', { name: 'Triggers', exact: true }).click();
    await page.getByText(/You may change triggers/).waitFor();
    expect(new URL(page.url()).searchParams.get('cde_section')).toBe('triggers');
    await expect(page.getByRole('search', { name: 'Filter events' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'New trigger' }).click();
    const form = page.getByRole('form', { name: 'New trigger' });
    await form.getByLabel('Artifact purl pattern').fill('auth@v9*');
    await form.getByRole('button', { name: 'Create' }).click();
    // The backend's sentences, each at its field.
    await form.getByText('give the trigger a name').waitFor();
    await form.getByText(/must start with "pkg:"/).waitFor();
    // Chromium logs the 400 it was meant to get; anything else logged later is a failure.
    expect(errors).toEqual([expect.stringContaining('status of 400')]);
    errors.length = 0;

    await form.getByLabel('Name', { exact: true }).fill('deploy published images');
    await form.getByLabel('Artifact purl pattern').fill('pkg:oci/auth@v9*');
    await form.getByLabel('Then').selectOption('sync-revision');
    await form.getByLabel('Cooldown (seconds)').fill('0');
    await form.getByRole('button', { name: 'Create' }).click();
    const item = page.getByRole('row', { name: 'Trigger deploy published images' });
    await item.waitFor();
    await expect(item.innerText()).resolves.toContain("POST /api/v1/applications/auth/sync with the event's revision");
  });

  it('syncs auth once when the artifact is published, shows the firing, and the upgrade links back', async () => {
    const published = {
      context: {
        specversion: '0.5.1',
        id: 'auth-v9.1.0-published',
        source: '/ci/auth',
        type: 'dev.cdevents.artifact.published.0.3.0',
        timestamp: new Date().toISOString(),
        chainId: 'chain-auth-v9.1.0',
      },
      subject: { id: 'pkg:oci/auth@v9.1.0?repository_url=ghcr.io/example-org/auth', content: {} },
    };
    const posted = await fetch(`${stack.backendUrl}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(published),
    });
    expect(posted.status).toBe(200);

    const firings = page.getByRole('list', { name: 'Last firings' });
    await firings.getByText(/succeeded/).waitFor({ timeout: 30_000 });
    await expect(firings.innerText()).resolves.toContain('auth-v9.1.0-published');
    await expect(firings.innerText()).resolves.toContain('to v9.1.0');
    expect(await firings.locator('li').count()).toBe(1);

    // Argo CD's notifications controller posts the finished sync after the sync call answered, so it may come later.
    let upgraded: { type: string; links: unknown[]; chainId: string } | undefined;
    for (let attempt = 0; attempt < 100 && !upgraded; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const emitted = await readFromPage<{ items: Array<{ type: string; links: unknown[]; chainId: string }> }>(
        'applications/argocd/auth/events?direction=emitted&limit=5',
      );
      upgraded = emitted.items.find((item) => item.type.startsWith('dev.cdevents.service.upgraded'));
    }
    expect(upgraded?.links).toContainEqual(
      expect.objectContaining({
        linkType: 'RELATION',
        linkKind: 'TRIGGER',
        target: { contextId: 'auth-v9.1.0-published' },
      }),
    );
    expect(upgraded?.chainId).toBe('chain-auth-v9.1.0');
  });

  it('shows a dry run of the rule over the stored history and the audit of the change', async () => {
    await page
      .getByRole('row', { name: 'Trigger deploy published images' })
      .getByRole('button', { name: 'Dry run' })
      .click();
    const result = page.getByRole('region', { name: 'Dry run result' });
    await result.waitFor();
    await expect(result.innerText()).resolves.toMatch(
      /Would sync argocd\/auth to v9\.1\.0 at .* for auth-v9\.1\.0-published/,
    );
    await expect(page.getByRole('list', { name: 'Changes' }).innerText()).resolves.toContain(
      'alice@example.com (platform-team, developers) created deploy published images',
    );
    expect(errors).toEqual([]);
  });
  it('creates a preview rule from an Application template, with the template problem shown at the field first', async () => {
    await page.getByRole('button', { name: 'New trigger' }).click();
    const form = page.getByRole('form', { name: 'New trigger' });
    await form.getByLabel('Name', { exact: true }).fill('a preview per pull request');
    await form.getByLabel(/Event types/).fill('dev.cdevents.change');
    await form.getByLabel('Then').selectOption('preview');
    await form.getByRole('button', { name: 'Start from an example' }).click();
    // The example is YAML, parsed by the backend; the bundle has no YAML parser.
    const template = form.getByLabel('Preview Application template (YAML or JSON)');
    const example = await template.inputValue();
    await template.fill(example.replace('name: auth-{{change}}', 'name: auth-preview'));
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByText(/metadata\.name must hold \{\{change\}\}/).waitFor();
    await expect(template.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(errors).toEqual([expect.stringContaining('status of 400')]);
    errors.length = 0;

    await template.fill(example);
    await expect(form.getByLabel('Effect in Argo CD').innerText()).resolves.toContain(
      'creates or updates Application argocd/auth-{{change}}',
    );
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('row', { name: 'Trigger a preview per pull request' }).waitFor();
    const triggers = await readFromPage<{ items: Array<{ name: string; action: string; preview?: unknown }> }>(
      'applications/argocd/auth/triggers',
    );
    expect(triggers.items.find((item) => item.name === 'a preview per pull request')).toMatchObject({
      action: 'preview',
      preview: {
        templateText: example,
        template: { metadata: { name: 'auth-{{change}}' }, spec: { project: 'identity' } },
      },
    });
    expect(errors).toEqual([]);
  });
});
