/**
 * The host page, served for every /applications/... route as Argo CD serves its
 * index.html: `<base href="/">`, Font Awesome, the Heebo webfont, the React globals first,
 * then the shell, then `<script defer src="extensions.js">` so extensions load after the
 * shell mounted.
 */
import type { SampleApplication } from './data/sampleApplications';

export type ReactLine = '16' | '19';

/** What the shell reads from window.__DEV_HOST__. */
export interface DevHostPageData {
  applications: SampleApplication[];
  trees: Record<string, unknown>;
  user: { username: string; groups: string[]; id?: string };
  reactLine: ReactLine;
}

/** Script URLs (relative to the base href) that set window.React / window.ReactDOM for a React line. */
export const REACT_SCRIPTS: Record<ReactLine, string[]> = {
  '19': ['dev-host/assets/react19.js'],
  '16': ['dev-host/react16/react.production.min.js', 'dev-host/react16/react-dom.production.min.js'],
};

// JSON inside <script>: "<" must not close the element early.
function toScriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The HTML of the host page for one React line; `baseHref` is "/" or "/<rootpath>/", as argocd-server rewrites it. */
export function renderHostPage(data: DevHostPageData, baseHref = '/'): string {
  const reactScripts = REACT_SCRIPTS[data.reactLine].map((src) => `    <script src="${src}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Argo CD (local stand-in)</title>
    <base href="${baseHref}" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <!-- Argo CD links its icons under the base href; without a link the browser asks /favicon.ico, outside a root path. -->
    <link rel="icon" href="data:," />
    <!-- Argo CD's UI loads Font Awesome on every page; extensions use its fa-* icons. -->
    <link rel="stylesheet" href="dev-host/fontawesome/css/all.min.css" />
    <!-- Argo CD's index.html links its Heebo webfont (assets/fonts.css); argo-ui's body font is Heebo. -->
    <link rel="stylesheet" href="dev-host/heebo/fonts.css" />
    <script>window.__DEV_HOST__ = ${toScriptJson(data)};</script>
  </head>
  <body>
    <div id="app"></div>
${reactScripts}
    <script src="dev-host/assets/shell.js"></script>
    <script defer src="extensions.js"></script>
  </body>
</html>
`;
}
