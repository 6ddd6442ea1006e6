/**
 * The whole local product for a page test: the built tarball, the real backend on a fresh PGlite data
 * dir, the Argo CD stand-in on free ports, and headless Chromium.
 *
 *   let stack: LocalStack; let browser: Browser; let close: () => Promise<void>;
 *   beforeAll(async () => void ({ stack, browser, close } = await startBrowserStack('cdevents-e2e-')), 300_000);
 *   afterAll(() => close?.());
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/dev-host/startLocalStack';
import { launchBrowser } from './browser';
import { ensureBuilt } from './build';

export interface BrowserStack {
  stack: LocalStack;
  browser: Browser;
  /** Closes Chromium, then the stack, and deletes the data dir. */
  close(): Promise<void>;
}

/**
 * Starts the stack on a data dir named after `dataDirPrefix`, then Chromium. `prepare` runs against the
 * stack before Chromium starts (e.g. to post events). On failure, whatever started is stopped first.
 */
export async function startBrowserStack(
  dataDirPrefix: string,
  options: Partial<Omit<LocalStackOptions, 'tarPath' | 'dataDir'>> = {},
  prepare?: (stack: LocalStack) => Promise<void>,
): Promise<BrowserStack> {
  const tarPath = ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    stack = await startLocalStack({ tarPath, dataDir, backendPort: 0, devHostPort: 0, ...options });
    await prepare?.(stack);
    browser = await launchBrowser();
    return { stack, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}
