/**
 * Our CSS lands in Argo CD's page, so every rule must be scoped to our own classes: a bare
 * element or global selector would restyle Argo CD (argocd-extension-metrics#81,
 * rollout-extension#107). Dark mode is Argo CD's `.theme-dark` ancestor.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, resolve } from 'path';

const uiRoot = resolve(__dirname, '../../src/ui');

function listCss(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listCss(path);
    return name.endsWith('.css') ? [path] : [];
  });
}

/** The selectors of every rule, with comments and at-rule preludes left out. */
function readSelectors(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const selectors: string[] = [];
  for (const match of text.matchAll(/([^{}]+)\{/g)) {
    const prelude = match[1].trim();
    if (prelude.startsWith('@')) continue;
    selectors.push(...prelude.split(',').map((part) => part.trim()));
  }
  return selectors;
}

const files = listCss(uiRoot);

describe('the UI stylesheets', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [relative(uiRoot, file), file]))(
    '%s scopes every selector to a cdevents- class (optionally under .theme-dark; :where(.cdevents-root) for our element baseline)',
    (_name, file) => {
      const offending = readSelectors(readFileSync(file, 'utf8')).filter(
        (selector) => !/^(\.theme-dark\s+)?(\.cdevents-[\w-]+|:where\(\.cdevents-root\) )/.test(selector),
      );
      expect(offending).toEqual([]);
    },
  );

  it.each(files.map((file) => [relative(uiRoot, file), file]))(
    "%s leaves argo-ui's classes to the host: no selector names one",
    (_name, file) => {
      // argo-button, argo-field, argo-checkbox, tabs__nav, sliding-panel…: Argo CD's page styles them.
      const restyling = readSelectors(readFileSync(file, 'utf8')).filter((selector) =>
        /\.(argo-|tabs\b|tabs__|sliding-panel)/.test(selector),
      );
      expect(restyling).toEqual([]);
    },
  );

  it('gives dark mode its own colours', () => {
    const css = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(css).toMatch(/\.theme-dark \.cdevents-root \{[^}]*--cdevents-bg:/);
  });
});
