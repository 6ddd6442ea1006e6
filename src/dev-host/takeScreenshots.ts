/**
 * `npm run screenshots`: starts the local stack on free ports with a fresh data
 * dir (so the demo history loads), opens auth's CDEvents tab in headless Chromium
 * and writes docs/tab-light.png and docs/tab-dark.png for the README, then the
 * chain view of auth's rollback as docs/chain-view.png.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { chromium } from 'playwright-core';
import { startLocalStack } from './startLocalStack';

const repoRoot = resolve(__dirname, '../..');

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cdevents-screenshots-'));
  const stack = await startLocalStack({
    tarPath: join(repoRoot, 'dist/extension.tar.gz'),
    dataDir,
    backendPort: 0,
    devHostPort: 0,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    for (const theme of ['light', 'dark'] as const) {
      // The query sets the theme, so each picture opens straight into it.
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&theme=${theme}`);
      await page.locator('.cdevents-event').first().waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="cdevents-summary"] dl').waitFor({ timeout: 30_000 });
      // Let relative times and lazy parts settle before the picture.
      await page.waitForTimeout(500);
      const file = join(repoRoot, `docs/tab-${theme}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
    // The chain view: auth's rollback, back through the incident to the merged change.
    await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&theme=light`);
    await page.getByRole('button', { name: /^emitted service rolledback/ }).click();
    await page.getByRole('link', { name: /show the causal chain/ }).click();
    await page.locator('.cdevents-chain__svg').waitFor({ timeout: 30_000 });
    // The view as it opens: at a readable zoom, scrolled to the rollback the chain starts from.
    await page.getByRole('region', { name: 'Causal chain' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const chainFile = join(repoRoot, 'docs/chain-view.png');
    await page.screenshot({ path: chainFile });
    console.log(`wrote ${chainFile}`);
  } finally {
    await browser.close();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('screenshots failed:', error);
  process.exit(1);
});
