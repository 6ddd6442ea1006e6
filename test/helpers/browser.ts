/**
 * Launches the machine's Chromium through playwright-core (no browser download).
 * Every test that drives a page uses this, so the flags live in one place.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

import { CHROMIUM_PATH } from './testServices';

export { CHROMIUM_PATH };

/** Starts headless Chromium; close it with `browser.close()` in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Collects the page's uncaught errors and console errors, so a test can assert
 * that none happened instead of silencing them.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  return errors;
}
