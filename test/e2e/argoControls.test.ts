/**
 * Issue 19, "every control in the tab uses Argo CD's own look": in Chromium on the stand-in, whose page
 * carries a stand-in for argo-ui's stylesheet (`<style data-stylesheet="argo-ui">`, the class names and
 * look of Argo CD's page), every button, field, select, checkbox, radio and tab in the CDEvents tab
 * carries argo-ui's class, takes its look (colours, borders, padding, font size, case) from that
 * stylesheet, and none of the extension's own rules gives it another. Light and dark, the Events view
 * and the Triggers view with its editor open. An unstyled browser control, or one our CSS paints
 * itself, fails here.
 */
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from '../helpers/browser';
import { startBrowserStack } from '../helpers/startBrowserStack';
import type { LocalStack } from '../../src/dev-host/startLocalStack';

const PAGE_TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 30_000 };

let stack: LocalStack;
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ stack, browser, close } = await startBrowserStack('cdevents-argo-controls-e2e-'));
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  errors = collectPageErrors(page);
}, 300_000);

afterAll(() => close?.());

interface ControlReport {
  /** Tag, classes and text, to name the control in a failure. */
  control: string;
  /** Empty when the control carries the argo-ui class its kind needs. */
  missingClass: string;
  /** Look properties that one of the extension's rules sets on the control. */
  ownLook: string[];
  /** Whether a rule of argo-ui's stylesheet that sets its look matches the control. */
  hostLook: boolean;
}

/** Every control in the tab, with where its look comes from. */
async function inspectControls(page: Page): Promise<ControlReport[]> {
  return page.evaluate(() => {
    const LOOK = [
      'color',
      'background-color',
      'background-image',
      'border-top-width',
      'border-top-style',
      'border-top-color',
      'border-bottom-width',
      'border-bottom-style',
      'border-bottom-color',
      'border-top-left-radius',
      'box-shadow',
      'font-size',
      'font-weight',
      'padding-top',
      'padding-left',
      'text-transform',
      'appearance',
    ];
    const styleRules = (sheet: CSSStyleSheet): CSSStyleRule[] => {
      const found: CSSStyleRule[] = [];
      const walk = (list: CSSRuleList) => {
        for (const rule of Array.from(list)) {
          if (rule instanceof CSSStyleRule) found.push(rule);
          else if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules);
        }
      };
      walk(sheet.cssRules);
      return found;
    };
    const sheets = Array.from(document.styleSheets);
    const hostSheet = sheets.find((sheet) =>
      (sheet.ownerNode as Element | null)?.matches('[data-stylesheet="argo-ui"]'),
    );
    if (!hostSheet) throw new Error('the page has no argo-ui stylesheet');
    const hostRules = styleRules(hostSheet);
    const ownRules = sheets
      .filter((sheet) => (sheet.ownerNode as Element | null)?.textContent?.includes('.cdevents-root'))
      .flatMap(styleRules);
    const matches = (element: Element, rule: CSSStyleRule) => {
      try {
        return element.matches(rule.selectorText);
      } catch {
        return false; // a pseudo-element selector: it styles no element
      }
    };
    const setsLook = (rule: CSSStyleRule) => LOOK.filter((name) => rule.style.getPropertyValue(name) !== '');
    const neededClass = (element: HTMLElement): string | undefined => {
      if (element.getAttribute('role') === 'tab') return element.closest('.tabs__nav') ? undefined : 'tabs__nav';
      if (element instanceof HTMLButtonElement || element.tagName === 'SUMMARY')
        return element.classList.contains('argo-button') ? undefined : 'argo-button';
      if (element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')) {
        const wrapper = `argo-${element.type === 'checkbox' ? 'checkbox' : 'radio'}`;
        return element.parentElement?.classList.contains(wrapper) ? undefined : wrapper;
      }
      if (element instanceof HTMLTextAreaElement)
        return element.classList.contains('argo-textarea') ? undefined : 'argo-textarea';
      return element.classList.contains('argo-field') ? undefined : 'argo-field';
    };
    // The timeline's rows are list entries (a row is one big button) and their fold line reads as a
    // link in the row's text; they are drawn like Argo CD's list rows, not as form controls.
    const controls = Array.from(
      document.querySelectorAll<HTMLElement>(
        '.cdevents-root :is(button, input, select, textarea, summary.cdevents-multiselect__summary, [role=tab])',
      ),
    ).filter((element) => !element.matches('.cdevents-event__main, .cdevents-event__fold'));
    return controls.map((element) => {
      // A checkbox or radio is drawn by the box beside it; that box carries the look.
      const drawn =
        element instanceof HTMLInputElement && (element.type === 'checkbox' || element.type === 'radio')
          ? (element.nextElementSibling ?? element)
          : element;
      return {
        control: `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').trim().slice(0, 30)}"`,
        missingClass: neededClass(element) ?? '',
        ownLook: ownRules
          .filter((rule) => matches(drawn, rule))
          .flatMap((rule) => setsLook(rule).map((name) => `${rule.selectorText} { ${name} }`)),
        hostLook: hostRules.some((rule) => matches(drawn, rule) && setsLook(rule).length > 0),
      };
    });
  });
}

function expectArgoLook(reports: ControlReport[]): void {
  expect(reports.length).toBeGreaterThan(0);
  expect(reports.filter((report) => report.missingClass !== '')).toEqual([]);
  expect(reports.filter((report) => report.ownLook.length > 0)).toEqual([]);
  expect(reports.filter((report) => !report.hostLook)).toEqual([]);
}

describe('the CDEvents tab’s controls in the stand-in', () => {
  it.each(['light', 'dark'] as const)(
    'take argo-ui’s classes and look in the Events view (%s)',
    async (theme) => {
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&theme=${theme}`);
      await page.locator('.cdevents-event').first().waitFor(WAIT);
      // The drawer and the chain bring their own buttons.
      await page.getByRole('button', { name: /^emitted service rolledback/ }).click();
      await page.getByRole('link', { name: /show the causal chain/ }).click();
      await page.locator('svg.cdevents-chain__svg').waitFor(WAIT);
      const reports = await inspectControls(page);
      expect(reports.map((report) => report.control)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^a\..*"Triggers"/),
          expect.stringMatching(/^button\..*"Clear filters"/),
          expect.stringMatching(/^input\.argo-field/),
          expect.stringMatching(/^button\..*Close chain/),
        ]),
      );
      expectArgoLook(reports);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );

  it.each(['light', 'dark'] as const)(
    'take argo-ui’s classes and look in the Triggers view with the editor open (%s)',
    async (theme) => {
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&cde_section=triggers&theme=${theme}`);
      await page.getByRole('button', { name: 'New trigger' }).click();
      const form = page.getByRole('form', { name: 'New trigger' });
      await form.getByLabel('Then').selectOption('preview');
      await form.getByRole('button', { name: 'Start from an example' }).waitFor(WAIT);
      const reports = await inspectControls(page);
      for (const kind of [/^select\.argo-field/, /^textarea\.argo-textarea/, /^input\..*/, /^button\.argo-button/])
        expect(reports.some((report) => kind.test(report.control))).toBe(true);
      expectArgoLook(reports);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'follow the theme through argo-ui’s own dark rules: a field’s text is dark on light and white on dark',
    async () => {
      const fieldColour = async (theme: string) => {
        await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&theme=${theme}`);
        const field = page.getByRole('searchbox', { name: 'Search events' });
        await field.waitFor(WAIT);
        return field.evaluate((el) => getComputedStyle(el).color);
      };
      await expect(fieldColour('light')).resolves.toBe('rgb(54, 60, 74)');
      await expect(fieldColour('dark')).resolves.toBe('rgb(255, 255, 255)');
    },
    PAGE_TEST_TIMEOUT,
  );
});

/**
 * Sizes, fonts and colours measured on Argo CD's own built UI, at the tags v3.5.1 (React 19) and
 * v3.4.7 (React 16), which gave the same values: its `ui/` built with webpack in production mode,
 * served with an API over the stand-in's sample apps and this extension, the CDEvents tab of `auth`
 * opened in its Details panel, the Triggers editor open (Then: preview), in Chromium at 1440×900,
 * light and dark (view_preferences.theme). The stand-in must show the same.
 */
const MEASURED_ON_ARGO_CD = {
  /** Heebo, the webfont Argo CD's page links: with a fallback font a select is 37px, not 42px. */
  heeboLoaded: true,
  html: { lineHeight: '18.4px' },
  body: { fontSize: '16px', lineHeight: '24px', color: 'rgb(73, 87, 99)' },
  /** The Details panel inherits body's font and colour: no font size of its own. */
  slidingPanel: { fontSize: '16px', lineHeight: '24px', color: 'rgb(73, 87, 99)' },
  slidingPanelClose: { width: 30, height: 34, appearance: 'none' },
  select: { height: 42 },
  textField: { height: 35.25 },
  formRowLabel: { height: 19 },
  submitButton: { height: 34.19 },
  checkboxBox: { width: 20, height: 20 },
  radioBox: { width: 20, height: 20 },
  /**
   * The section tabs' indicator lies under the chosen link: within the rounding of offsetLeft and
   * offsetWidth it is placed with (as argo-ui's Tabs do), not the 4px a fallback font's width leaves.
   */
  indicatorUnderActiveLink: true,
};
const BODY_BACKGROUND = { light: 'rgb(222, 230, 235)', dark: 'rgb(16, 15, 15)' };

describe('the stand-in measures as Argo CD 3.5.1 and 3.4.7’s built UI', () => {
  it.each(['light', 'dark'] as const)(
    'in the Triggers editor: Heebo, the page base, the Details panel and the controls’ sizes (%s)',
    async (theme) => {
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?tab=cdevents&cde_section=triggers&theme=${theme}`);
      await page.getByRole('button', { name: 'New trigger' }).click();
      const form = page.getByRole('form', { name: 'New trigger' });
      await form.getByLabel('Then').selectOption('preview');
      await form.getByRole('button', { name: 'Start from an example' }).waitFor(WAIT);
      await page.evaluate(() => document.fonts.ready);
      const measure = () =>
        page.evaluate(() => {
          const box = (selector: string) => {
            const element = document.querySelector(selector);
            if (!element) throw new Error(`no ${selector}`);
            const rect = element.getBoundingClientRect();
            return { width: Math.round(rect.width * 100) / 100, height: Math.round(rect.height * 100) / 100 };
          };
          const font = (element: Element) => {
            const style = getComputedStyle(element);
            return { fontSize: style.fontSize, lineHeight: style.lineHeight, color: style.color };
          };
          const root = document.querySelector('.cdevents-root');
          const panel = root?.closest('.sliding-panel');
          if (!root || !panel) throw new Error('the tab is not in a sliding panel');
          const close = panel.querySelector('.sliding-panel__close')!;
          const form = '.cdevents-root form';
          const active = root.querySelector<HTMLElement>('.tabs__nav a.active')!.getBoundingClientRect();
          const indicator = root.querySelector('.tabs__indicator')!.getBoundingClientRect();
          return {
            heeboLoaded: Array.from(document.fonts).some(
              (face) =>
                face.family.replace(/['"]/g, '') === 'Heebo' && face.weight === '400' && face.status === 'loaded',
            ),
            html: { lineHeight: getComputedStyle(document.documentElement).lineHeight },
            body: font(document.body),
            slidingPanel: font(panel),
            slidingPanelClose: {
              ...box('.sliding-panel--opened .sliding-panel__close'),
              appearance: getComputedStyle(close).appearance,
            },
            select: { height: box(`${form} select.argo-field`).height },
            textField: { height: box(`${form} input[type=text].argo-field`).height },
            formRowLabel: { height: box(`${form} .argo-form-row > label`).height },
            submitButton: { height: box(`${form} button[type=submit].argo-button`).height },
            checkboxBox: box(`${form} .argo-checkbox input + span`),
            radioBox: box(`${form} .argo-radio input + span`),
            indicatorUnderActiveLink:
              Math.abs(indicator.left - active.left) < 1.5 && Math.abs(indicator.width - active.width) < 1.5,
            bodyBackground: getComputedStyle(document.body).backgroundColor,
          };
        });
      // The indicator follows the links once the webfont has narrowed them: allow it a few frames.
      let measured = await measure();
      for (let tries = 0; !measured.indicatorUnderActiveLink && tries < 20; tries++) {
        await page.waitForTimeout(100);
        measured = await measure();
      }
      const { bodyBackground, ...sizes } = measured;
      expect(sizes).toEqual(MEASURED_ON_ARGO_CD);
      expect(bodyBackground).toBe(BODY_BACKGROUND[theme]);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'in the app view: the page does not scroll, the view scrolls inside itself, the tab as wide as there',
    async () => {
      // Measured on the same real pages at ?view=CDEvents: the app details page is the window's height,
      // .application-details__tree (1210px wide beside the 230px sidebar, padding 16px) scrolls, and
      // the tab inside it is 1178px wide.
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?view=CDEvents`);
      await page.locator('.cdevents-event').first().waitFor(WAIT);
      const layout = await page.evaluate(() => {
        const root = document.querySelector<HTMLElement>('.cdevents-root')!;
        const view = root.parentElement!;
        return {
          pageScrollHeight: document.documentElement.scrollHeight,
          viewScrolls: getComputedStyle(view).overflowY === 'auto',
          viewWidth: view.getBoundingClientRect().width,
          viewPadding: getComputedStyle(view).padding,
          rootWidth: root.getBoundingClientRect().width,
        };
      });
      expect(layout).toEqual({
        pageScrollHeight: 900,
        viewScrolls: true,
        viewWidth: 1210,
        viewPadding: '16px',
        rootWidth: 1178,
      });
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );

  it(
    'in the app view: the timeline and an open drawer are never taller than the view box, and fit in it scrolled to its end',
    async () => {
      // Sized from the window, the timeline (100vh - 240px = 660px) was taller than the box that scrolls
      // in the real app view (616px visible at 1440x900): never wholly in view, and the sticky drawer's
      // foot out of view.
      await page.goto(`${stack.devHostUrl}/applications/argocd/auth?view=CDEvents`);
      await page.locator('.cdevents-event').first().waitFor(WAIT);
      const measure = () =>
        page.evaluate(() => {
          const view = document.querySelector<HTMLElement>('.cdevents-root')!.parentElement!;
          view.scrollTop = view.scrollHeight;
          // What the box shows: its padding box (a sticky element sticks to that edge).
          const box = view.getBoundingClientRect();
          const visibleTop = box.top + view.clientTop;
          const visibleBottom = visibleTop + view.clientHeight;
          const within = (rect: DOMRect) => rect.top >= visibleTop - 1 && rect.bottom <= visibleBottom + 1;
          const timeline = document.querySelector<HTMLElement>('.cdevents-timeline')!.getBoundingClientRect();
          const drawer = document.querySelector<HTMLElement>('.cdevents-drawer')?.getBoundingClientRect();
          return {
            timelineHeight: timeline.height,
            timelineInView: within(timeline),
            drawerInView: drawer ? within(drawer) : undefined,
          };
        });
      const closed = await measure();
      expect(closed.timelineInView).toBe(true);
      expect(closed.timelineHeight).toBeGreaterThanOrEqual(400);
      await page.locator('.cdevents-event').first().click();
      await page.locator('.cdevents-drawer').waitFor(WAIT);
      const opened = await measure();
      expect(opened.drawerInView).toBe(true);
      expect(errors).toEqual([]);
    },
    PAGE_TEST_TIMEOUT,
  );
});
