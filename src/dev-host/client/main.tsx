/**
 * The stand-in's shell: installs window.extensionsAPI before extensions.js runs,
 * then renders the sample apps with whatever React the page loaded (React 19 via
 * react-dom/client, React 16.14 via ReactDOM.render).
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createExtensionsApi } from './createExtensionsApi';
import { Shell } from './Shell';
import type { DevHostPageData } from '../renderHostPage';
// argo-ui's classes first, as Argo CD's page has them before anything of ours.
import './argo-ui.css';
import './shell.css';

interface HostWindow {
  __DEV_HOST__: DevHostPageData;
  extensionsAPI?: unknown;
  extensions?: unknown;
  DevHostReactDOMClient?: { createRoot(container: Element): { render(node: React.ReactNode): void } };
}

const hostWindow = window as unknown as HostWindow;
const host = createExtensionsApi();
hostWindow.extensions = { resources: {} };
hostWindow.extensionsAPI = host.api;

const container = document.getElementById('app');
if (!container) throw new Error('dev-host: the page has no #app element');
const element = <Shell host={host} data={hostWindow.__DEV_HOST__} />;
if (hostWindow.DevHostReactDOMClient) {
  hostWindow.DevHostReactDOMClient.createRoot(container).render(element);
} else {
  // React 16.14: the legacy root is the only one it has.
  (ReactDOM as unknown as { render(node: React.ReactNode, el: Element): void }).render(element, container);
}
