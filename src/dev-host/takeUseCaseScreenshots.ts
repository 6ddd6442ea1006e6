/**
 * `npm run screenshots:use-cases`: the pictures of docs/use-cases.md, taken in
 * headless Chromium from the real backend (PGlite in a temp dir) with the demo
 * history of two Argo CD instances, `east` and `west`, each behind its own
 * stand-in (hub-and-spoke: one backend). The demo user may get the apps of the
 * projects identity and web (not commerce). Use cases 4 and 5 are played on a
 * second backend whose triggers act on Argo CD API stand-ins (playTriggerStories).
 * Writes docs/use-cases/*.png.
 */
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { chromium, type Page } from 'playwright-core';
import type { EventListResponse } from '../backend/api/contract';
import { createApp } from '../backend/app';
import { loadConfig } from '../backend/config';
import { createStore } from '../backend/store/createStore';
import { buildHostAssets } from './buildHostAssets';
import { buildDemoHistory } from './data/buildDemoHistory';
import { buildSampleApplications } from './data/sampleApplications';
import { playTriggerStories } from './playTriggerStories';
import { startDevHost, type DevHost } from './startDevHost';
import { toDemoRequest } from './startLocalStack';
import { unpackExtension } from './unpackExtension';

const repoRoot = resolve(__dirname, '../..');
const outDir = join(repoRoot, 'docs/use-cases');
const instances = ['east', 'west'];

async function shoot(page: Page, name: string): Promise<void> {
  // Let relative times and lazy parts settle before the picture.
  await page.waitForTimeout(500);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'cdevents-use-cases-'));
  const now = new Date();
  const proxySecret = randomBytes(24).toString('base64url');
  const config = loadConfig({
    CDEVENTS_LOG_LEVEL: 'warn',
    CDEVENTS_DATA_DIR: join(workDir, 'data'),
    CDEVENTS_PROXY_SECRET: proxySecret,
    CDEVENTS_INGEST_AUTH: 'off',
  });
  const store = await createStore(config);
  const app = await createApp({ config, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const backendUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const standIns: DevHost[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const extensionsDir = join(workDir, 'extensions');
    await unpackExtension(join(repoRoot, 'dist/extension.tar.gz'), extensionsDir);
    const assetsDir = await buildHostAssets(join(workDir, 'assets'));
    for (const instance of instances) {
      for (const request of buildDemoHistory({ now, instance }).map((item) => toDemoRequest(item, instance))) {
        const response = await fetch(`${backendUrl}${request.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request.body),
        });
        if (!response.ok) throw new Error(`demo history: ${request.path} answered ${response.status}`);
      }
      standIns.push(
        await startDevHost({
          extensionsDir,
          assetsDir,
          backendUrl,
          proxySecret,
          applications: buildSampleApplications(now),
          port: 0,
          userProjects: ['identity', 'web'],
          instance,
        }),
      );
    }
    const east = standIns[0]!;
    mkdirSync(outDir, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });

    // Use case 2: the developer dashboard, from the sidebar.
    await page.goto(`${east.url}/applications?theme=light`);
    await page.getByRole('link', { name: /CDEvents/ }).click();
    await page.getByTestId('cdevents-dashboard-running').waitFor({ timeout: 30_000 });
    await shoot(page, 'dashboard-light');
    await page.getByTestId('theme-toggle').click();
    await shoot(page, 'dashboard-dark');
    await page.getByTestId('theme-toggle').click();

    // Use case 1: auth's tab on instance east says which instance it shows.
    await page.goto(`${east.url}/applications/argocd/auth?view=CDEvents`);
    await page.locator('.cdevents-event').first().waitFor({ timeout: 30_000 });
    await shoot(page, 'instance-badge');

    // Use case 3: the chain from auth's rollback back to the incident that fired it.
    const list = await fetch(`${backendUrl}/api/v1/applications/argocd/auth/events?limit=200`, {
      headers: {
        'x-cdevents-proxy-secret': proxySecret,
        'argocd-application-name': 'argocd:auth',
        'x-cdevents-instance': 'east',
      },
    });
    const rollback = ((await list.json()) as EventListResponse).items.find((e) => e.predicate === 'rolledback');
    if (!rollback) throw new Error("the demo history has no rollback in auth's tab");
    await page.setViewportSize({ width: 1440, height: 1500 });
    await page.goto(`${east.url}/applications/argocd/auth?view=CDEvents&cde_event=${rollback.key}&cde_chain=1`);
    await page.locator('.cdevents-chain svg').first().waitFor({ timeout: 30_000 });
    // The chain reads left to right, change to rollback: show its right end, where incident → rollback is.
    await page.locator('.cdevents-chain__viewport').evaluate((viewport) => {
      viewport.scrollLeft = viewport.scrollWidth;
    });
    await shoot(page, 'rollback-chain');

    // Use cases 4 and 5: triggers acting on Argo CD API stand-ins, on a second backend.
    const stories = await playTriggerStories({ workDir, extensionsDir, assetsDir });
    try {
      await page.setViewportSize({ width: 1440, height: 1100 });
      await page.goto(`${stories.devHostUrl}${stories.pages['testing-on-deploy']}`);
      await page.locator('.cdevents-chain svg').first().waitFor({ timeout: 30_000 });
      // The chain reaches far (the demo's history): zoom out and show the deployment and the test runs it fired.
      await page.getByRole('button', { name: 'Zoom out' }).click();
      await page.getByRole('button', { name: 'Zoom out' }).click();
      await page
        .locator('.cdevents-chain__label', { hasText: /test ?suite ?run/i })
        .first()
        .scrollIntoViewIfNeeded();
      await shoot(page, 'testing-on-deploy');
      await page.goto(`${stories.devHostUrl}${stories.pages['preview-environments']}`);
      await page.locator('.cdevents-event').first().waitFor({ timeout: 30_000 });
      await shoot(page, 'preview-environments');
    } finally {
      await stories.close();
    }
  } finally {
    await browser.close();
    for (const standIn of standIns) await standIn.close();
    await app.close();
    await store.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('use-case screenshots failed:', error);
  process.exit(1);
});
