/**
 * Issue 7, "no style leaking into Argo CD": the extension's stylesheet lands in
 * Argo CD's page, so a bare or global selector in it would restyle Argo CD. In
 * Chromium, under React 19 and React 16.14 host globals, the stand-in page is
 * opened with extensions.js held back; the computed styles of host elements are
 * recorded; then the bundle is let through, the CDEvents tab is opened and
 * drawn (timeline, summary strip), and the same elements' computed styles must
 * be unchanged, property by property.
 *
 * Host elements: the stand-in shell's own (body, its nav, top bar, buttons, the
 * resource table, the Details panel) and, for the tags Argo CD's pages use that
 * the shell lacks, a probe block of plain elements (headings, links, inputs,
 * a table, a definition list...) added to the page before the bundle loads.
 */
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const PAGE_TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 30_000 };

/** The shell's elements, present before the extension loads and after its tab opened. */
const SHELL_SELECTORS = [
  'html',
  'body',
  'nav.devhost-sidebar',
  'nav.devhost-sidebar .devhost-nav-item',
  'header.devhost-topbar',
  '.devhost-breadcrumbs',
  '.devhost-user',
  '.devhost-toolbar .devhost-button',
  'table.devhost-resources',
  'table.devhost-resources th',
  'table.devhost-resources td',
  '.devhost-theme-toggle',
  '.sliding-panel',
  '.sliding-panel__wrapper',
  '.sliding-panel__close',
  '.sliding-panel__body',
  '.tabs__nav',
];

/** Plain elements standing for Argo CD's own markup of these tags. */
const PROBE_HTML = `
  <h1>Applications</h1><h2>auth</h2><h3>Summary</h3><h4>Events</h4>
  <p>Text with <a href="#probe">a link</a>, <strong>bold</strong>, <code>code</code> and <small>small</small>.</p>
  <button type="button">A button</button>
  <label>Name <input type="text" value="text" /></label>
  <input type="checkbox" checked />
  <select><option>one</option></select>
  <textarea>text</textarea>
  <table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>auth</td></tr></tbody></table>
  <ul><li>item</li></ul><ol><li>item</li></ol>
  <dl><dt>Term</dt><dd>Definition</dd></dl>
  <pre>pre</pre><section><header>header</header></section><aside>aside</aside>
  <svg width="10" height="10"><rect width="10" height="10"></rect><text>t</text></svg>
`;
const PROBE_SELECTORS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'p',
  'a',
  'strong',
  'code',
  'small',
  'button',
  'label',
  'input[type=text]',
  'input[type=checkbox]',
  'select',
  'textarea',
  'table',
  'th',
  'td',
  'ul',
  'li',
  'dl',
  'dt',
  'dd',
  'pre',
  'section',
  'header',
  'aside',
  'svg',
  'rect',
  'text',
].map((tag) => `#cdevents-host-probe ${tag}`);

/**
 * Properties whose computed value is the element's laid-out size or a point in
 * it: they follow the page's content (the tab adds content to the page), not
 * the rules that apply. A leaked rule shows in the declared properties.
 */
const LAYOUT_PROPERTIES = new Set([
  'width',
  'height',
  'inline-size',
  'block-size',
  'transform-origin',
  'perspective-origin',
]);

type StyleRecord = Record<string, Record<string, string>>;

/** The computed styles of the first element each selector matches. */
async function recordStyles(page: Page, selectors: string[]): Promise<StyleRecord> {
  return page.evaluate((list) => {
    // No focus or hover state may differ between the two records.
    (document.activeElement as HTMLElement | null)?.blur();
    const record: Record<string, Record<string, string>> = {};
    for (const selector of list) {
      const element = document.querySelector(selector);
      if (!element) continue;
      const style = getComputedStyle(element);
      const values: Record<string, string> = {};
      for (let i = 0; i < style.length; i += 1) {
        const name = style.item(i);
        values[name] = style.getPropertyValue(name);
      }
      record[selector] = values;
    }
    return record;
  }, selectors);
}

/** "selector: property before → after" for every difference outside the layout properties. */
function listDifferences(before: StyleRecord, after: StyleRecord): string[] {
  const differences: string[] = [];
  for (const [selector, values] of Object.entries(before)) {
    const later = after[selector];
    if (!later) {
      differences.push(`${selector}: gone after the extension loaded`);
      continue;
    }
    for (const [name, value] of Object.entries(values)) {
      if (LAYOUT_PROPERTIES.has(name) || later[name] === value) continue;
      differences.push(`${selector}: ${name} ${value} → ${later[name]}`);
    }
  }
  return differences;
}

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-host-styles-'));
}, 300_000);

afterAll(() => close?.());

describe.each([
  { line: 'React 19', react: '' },
  { line: 'React 16.14', react: '&react=16' },
])("the host page's computed styles under $line host globals", ({ react }) => {
  it.each([{ theme: 'light' }, { theme: 'dark' }])(
    'are unchanged after the extension loads and its tab opens ($theme)',
    async ({ theme }) => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors = collectPageErrors(page);
      try {
        let release: () => void = () => undefined;
        const released = new Promise<void>((resolve) => (release = resolve));
        let asked = false;
        await page.route('**/extensions.js', async (route) => {
          asked = true;
          await released;
          await route.continue();
        });
        await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=summary&theme=${theme}${react}`, {
          waitUntil: 'commit',
        });
        await page.locator('.devhost-sliding-panel').waitFor(WAIT);
        await page.evaluate((html) => {
          const probe = document.createElement('div');
          probe.id = 'cdevents-host-probe';
          probe.innerHTML = html;
          document.body.appendChild(probe);
        }, PROBE_HTML);
        const selectors = [...SHELL_SELECTORS, ...PROBE_SELECTORS];
        // The page loads the Heebo webfont as Argo CD's does (font-display: swap): measured before it
        // arrived, widths change under the extension's feet when it does.
        await page.evaluate(async () => {
          void document.body.offsetHeight;
          await document.fonts.ready;
        });
        const before = await recordStyles(page, selectors);
        // Every selector found something, so the comparison covers what it names.
        expect(Object.keys(before).sort()).toEqual([...selectors].sort());
        expect(await page.locator('.cdevents-root').count()).toBe(0);

        release();
        await page.getByRole('tab', { name: /CDEvents/ }).click(WAIT);
        await page.locator('.cdevents-event').first().waitFor(WAIT);
        await page.locator('[data-testid="cdevents-summary"] dl').waitFor(WAIT);
        await page.mouse.move(0, 0);
        const after = await recordStyles(page, selectors);

        expect(asked).toBe(true);
        expect(listDifferences(before, after)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    PAGE_TEST_TIMEOUT,
  );
});
