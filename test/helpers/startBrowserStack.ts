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

const BROWSER_CLOSE_MS = 20_000;
const SLOW_STEP_MS = 10_000;

/** Awaits `work` for at most `limitMs`; reports on stderr a step slower than SLOW_STEP_MS or cut off. */
async function settleWithin(name: string, work: Promise<void>, limitMs: number): Promise<void> {
  const started = Date.now();
  const slow = setTimeout(
    () => process.stderr.write(`startBrowserStack: ${name} is taking over ${SLOW_STEP_MS} ms\n`),
    SLOW_STEP_MS,
  );
  let cut: NodeJS.Timeout | undefined;
  const limit = new Promise<'cut'>((resolve) => {
    if (Number.isFinite(limitMs)) cut = setTimeout(() => resolve('cut'), limitMs);
  });
  try {
    if ((await Promise.race([work.then(() => 'done' as const), limit])) === 'cut') {
      process.stderr.write(`startBrowserStack: ${name} did not finish in ${limitMs} ms; going on\n`);
    } else if (Date.now() - started > SLOW_STEP_MS) {
      process.stderr.write(`startBrowserStack: ${name} took ${Date.now() - started} ms\n`);
    }
  } finally {
    clearTimeout(slow);
    clearTimeout(cut);
  }
}

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
    // On 2 loaded cores a suite's teardown once took over jest's 60 s hook limit. Chromium is given
    // BROWSER_CLOSE_MS to exit (its process is killed with the worker after that); a slow step is named
    // on stderr, so a teardown that hangs says where.
    if (browser) await settleWithin('closing Chromium', browser.close(), BROWSER_CLOSE_MS);
    if (stack) await settleWithin('closing the stack', stack.close(), Number.POSITIVE_INFINITY);
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
