/**
 * The stand-in's shell as extensions meet it, in headless Chromium under both
 * React lines: every register function of window.extensionsAPI places its
 * component where Argo CD does, with the props Argo CD passes, and a broken
 * extension in /extensions.js does not stop the ones after it (Argo CD 3.5+).
 * Uses small extensions written here, so it checks the host, not our bundle.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { buildHostAssets } from '../../src/dev-host/buildHostAssets';
import { startDevHost, type DevHost } from '../../src/dev-host/startDevHost';
import { buildSampleApplications } from '../../src/dev-host/data/sampleApplications';
import { collectPageErrors, launchBrowser } from '../helpers/browser';

// Classic scripts using the host's window.React, as a real extension bundle does.
const brokenExtension = 'throw new Error("broken on purpose");';
const probeExtension = `(function () {
  var React = window.React, h = React.createElement, api = window.extensionsAPI;
  function name(props) { return props.application ? props.application.metadata.name : 'none'; }
  api.registerResourceExtension(function (p) {
    return h('div', { id: 'probe-tab' }, 'tab of ' + name(p) + ' resource ' + p.resource.metadata.name + ' tree ' + p.tree.nodes.length);
  }, 'argoproj.io', 'Application', 'Probe', { icon: 'fa-flask' });
  api.registerResourceExtension(function () { return h('div', null, 'deployment tab'); }, 'apps', 'Deployment', 'Not for apps');
  api.registerAppViewExtension(function (p) { return h('div', { id: 'probe-view' }, 'view of ' + name(p)); }, 'Probe view', 'fa-flask',
    function (app) { return app.metadata.name !== 'admin'; });
  api.registerStatusPanelExtension(function (p) {
    return h('button', { id: 'probe-status', onClick: p.openFlyout }, 'status of ' + name(p));
  }, 'Probe status', 'probe-status', function (p) { return h('div', { id: 'probe-flyout' }, 'flyout of ' + name(p)); });
  api.registerTopBarActionMenuExt(function (p) { return h('span', { id: 'probe-action' }, 'action on ' + name(p)); },
    'Probe action', 'probe-action', function () { return null; });
  api.registerSystemLevelExtension(function () { return h('div', { id: 'probe-page' }, 'system page'); }, 'Probe page', '/probe', 'fa-flask');
  setTimeout(function () {
    api.registerResourceExtension(function () { return h('div', null, 'late'); }, '**', 'Application', 'Late tab');
  }, 300);
})();`;

// Clicks wait up to Playwright's 30 s; jest's 5 s default would fail first on a slow machine.
jest.setTimeout(45_000);

let dir: string;
let backend: Server;
let devHost: DevHost;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'host-shell-'));
  mkdirSync(join(dir, 'extensions/resources/extension-0-broken.js'), { recursive: true });
  mkdirSync(join(dir, 'extensions/resources/extension-probe.js'), { recursive: true });
  writeFileSync(join(dir, 'extensions/resources/extension-0-broken.js/extension-0-broken.js'), brokenExtension);
  writeFileSync(join(dir, 'extensions/resources/extension-probe.js/extensions-probe.js'), probeExtension);
  backend = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  devHost = await startDevHost({
    extensionsDir: join(dir, 'extensions'),
    assetsDir: await buildHostAssets(join(dir, 'assets')),
    backendUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
    proxySecret: 'unused-in-this-test',
    applications: buildSampleApplications(new Date()),
    port: 0,
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await devHost?.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { line: 'React 19', query: '' },
  { line: 'React 16.14', query: '?react=16' },
])('extensions under $line', ({ query }) => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await browser.newPage();
    errors = collectPageErrors(page);
    await page.goto(`${devHost.url}/applications/argocd/portal${query}`);
    await page.locator('#probe-status').waitFor();
  }, 60_000);

  afterAll(async () => {
    await page?.close();
  });

  it('reports the broken extension by name and still loads the next one', () => {
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Extension extension-0-broken.js failed to load:');
    expect(errors[0]).toContain('broken on purpose');
  });

  it('renders a status-panel extension with the application, and opens its flyout', async () => {
    await expect(page.locator('#probe-status').textContent()).resolves.toBe('status of portal');
    await page.locator('#probe-status').click();
    await expect(page.locator('#probe-flyout').textContent()).resolves.toBe('flyout of portal');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('renders a top-bar action with the application', async () => {
    await expect(page.locator('#probe-action').textContent()).resolves.toBe('action on portal');
  });

  it('lists Application tabs after the built-in ones, with resource, application and tree, and not other kinds', async () => {
    await page.getByRole('button', { name: /DETAILS/ }).click();
    // The probe registers this tab 300 ms after loading: the open panel must take it in when it comes.
    await page.getByRole('tab', { name: 'Late tab' }).waitFor();
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs.map((t) => t.trim())).toEqual([
      'SUMMARY',
      'PARAMETERS',
      'MANIFEST',
      // No DIFF: the sample apps are Synced, and Argo CD offers DIFF only for an app that is not.
      'EVENTS',
      'Probe',
      'Late tab',
    ]);
    await page.getByRole('tab', { name: 'Probe' }).click();
    await expect(page.locator('#probe-tab').textContent()).resolves.toBe('tab of portal resource portal tree 5');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('offers an app view in the view switcher only where shouldDisplay allows', async () => {
    await page.getByRole('button', { name: /Probe view/ }).click();
    await expect(page.locator('#probe-view').textContent()).resolves.toBe('view of portal');
    await page.goto(`${devHost.url}/applications/argocd/admin${query}`);
    await page.locator('#probe-status').waitFor();
    await expect(page.getByRole('button', { name: /Probe view/ }).count()).resolves.toBe(0);
  });

  it('adds a system-level extension to the sidebar, with its own page', async () => {
    await page.getByRole('link', { name: /Probe page/ }).click();
    await expect(page.locator('#probe-page').textContent()).resolves.toBe('system page');
  });
});
