/**
 * The built bundle, not the sources: loaded as argocd-server serves it, with React 16.14
 * (Argo CD up to 3.4) or React 19 (3.5 on) as the host's window.React / window.ReactDOM.
 */
import { act } from '@testing-library/react';
import { readFileSync } from 'fs';
import { join } from 'path';
import type * as ReactTypes from 'react';
import { bundleName, distDir, ensureBuilt } from '../helpers/build';
import { buildRecord, guestbookApplication } from './fakeApi';
import { stubLayout } from './stubLayout';

interface Host {
  version: string;
  React: typeof ReactTypes;
  mount: (element: ReactTypes.ReactElement, container: HTMLElement) => () => void;
  /** Each React line's own act(): React 16 does not see React 19's. */
  act: (work: () => Promise<void> | void) => Promise<void>;
}

function loadReact16(): Host {
  let React!: typeof ReactTypes;
  let ReactDOM!: { render: (e: unknown, c: HTMLElement) => void; unmountComponentAtNode: (c: HTMLElement) => void };
  let testAct!: (work: () => Promise<void> | void) => Promise<void>;
  jest.isolateModules(() => {
    // react-dom 16 must see React 16 as `react`, as it does inside Argo CD's own bundle.
    jest.doMock('react', () => jest.requireActual('react-16'));
    React = jest.requireActual('react-16');
    ReactDOM = jest.requireActual('react-dom-16');
    jest.doMock('react-dom', () => ReactDOM);
    testAct = jest.requireActual('react-dom-16/test-utils').act;
  });
  (window as unknown as Record<string, unknown>).ReactDOM = ReactDOM;
  return {
    version: React.version,
    React,
    mount: (element, container) => {
      ReactDOM.render(element, container);
      return () => ReactDOM.unmountComponentAtNode(container);
    },
    act: async (work) => {
      await testAct(async () => {
        await work();
      });
    },
  };
}

function loadReact19(): Host {
  const React = jest.requireActual('react') as typeof ReactTypes;
  const ReactDOM = jest.requireActual('react-dom');
  const { createRoot } = jest.requireActual('react-dom/client');
  (window as unknown as Record<string, unknown>).ReactDOM = ReactDOM;
  return {
    version: React.version,
    React,
    mount: (element, container) => {
      const root = createRoot(container);
      root.render(element);
      return () => root.unmount();
    },
    act: async (work) => {
      await act(async () => {
        await work();
      });
    },
  };
}

describe.each([
  ['React 16.14 (Argo CD 2.x–3.4)', loadReact16, /^16\.14\./],
  ['React 19 (Argo CD 3.5+)', loadReact19, /^19\./],
])('the built bundle on %s', (_name, loadHost, versionPattern) => {
  let bundle: string;
  let restoreLayout: () => void;
  beforeAll(() => {
    ensureBuilt();
    bundle = readFileSync(join(distDir, 'resources/extension-cdevents.js', bundleName), 'utf8');
  }, 180_000);
  beforeEach(() => {
    restoreLayout = stubLayout();
  });
  afterEach(() => restoreLayout());

  it('registers the tab, which fetches through the proxy and lists the events', async () => {
    const host = loadHost();
    expect(host.version).toMatch(versionPattern);
    const win = window as unknown as Record<string, unknown>;
    win.React = host.React;
    const registered: Record<string, ReactTypes.ComponentType<Record<string, unknown>>> = {};
    win.extensionsAPI = {
      registerResourceExtension: (component: ReactTypes.ComponentType<Record<string, unknown>>) => {
        registered.tab = component;
      },
      registerAppViewExtension: (component: ReactTypes.ComponentType<Record<string, unknown>>) => {
        registered.appView = component;
      },
    };
    const requests: Array<{ url: string; headers: Record<string, string> }> = [];
    win.fetch = async (url: string, init: { headers: Record<string, string> }) => {
      requests.push({ url, headers: init.headers });
      const page = { items: [buildRecord({ key: 'k1', subject: 'service', predicate: 'deployed' })], nextCursor: null };
      return { status: 200, ok: true, headers: { get: () => null }, json: async () => page, text: async () => '' };
    };

    // As argocd-server serves it: a classic script run in the page's global scope.
    new Function(bundle)();
    expect(Object.keys(registered).sort()).toEqual(['appView', 'tab']);

    const container = document.createElement('div');
    document.body.appendChild(container);
    let unmount = () => undefined as void;
    await host.act(() => {
      unmount = host.mount(
        host.React.createElement(registered.tab, { application: guestbookApplication, resource: guestbookApplication }),
        container,
      );
    });
    await host.act(async () => undefined);
    expect(requests[0].url).toMatch(
      /extensions\/cdevents\/api\/v1\/applications\/argocd\/guestbook\/events\?limit=200$/,
    );
    expect(requests[0].headers['Argocd-Application-Name']).toBe('argocd:guestbook');
    expect(container.textContent).toContain('service deployed');
    expect(document.querySelector('style')?.textContent).toContain('.cdevents-root');
    await host.act(() => unmount());
    container.remove();
  });
});
