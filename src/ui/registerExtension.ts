import type * as React from 'react';
import { CDEventsAppView } from './components/CDEventsAppView';
import { CDEventsTab } from './components/CDEventsTab';
import { DashboardPage } from './components/dashboard/DashboardPage';

/** The register functions we use, as argocd's extensions-service.ts declares them. */
export interface ExtensionsApi {
  registerResourceExtension?: (
    component: React.ComponentType<never>,
    group: string,
    kind: string,
    tabTitle: string,
    opts?: { icon: string },
  ) => void;
  registerAppViewExtension?: (component: React.ComponentType<never>, title: string, icon: string) => void;
  registerSystemLevelExtension?: (component: React.ComponentType, title: string, path: string, icon: string) => void;
}

export const TAB_TITLE = 'CDEvents';
export const ICON = 'fa-bolt';
/** The developer dashboard's sidebar path (registerSystemLevelExtension's `path`). */
export const DASHBOARD_PATH = '/cdevents';

/**
 * Registers the Application tab, the app view and the developer dashboard. Never throws: before Argo CD 3.5 all
 * extensions share one script, so a throw here would stop every extension loaded after us.
 * Returns what was registered, for the record.
 */
export function registerExtension(target: { extensionsAPI?: ExtensionsApi } | undefined): string[] {
  const registered: string[] = [];
  const api = target?.extensionsAPI;
  if (!api) {
    console.warn('CDEvents extension: window.extensionsAPI is missing (Argo CD older than 2.5?); nothing registered.');
    return registered;
  }
  try {
    if (typeof api.registerResourceExtension === 'function') {
      api.registerResourceExtension(CDEventsTab, 'argoproj.io', 'Application', TAB_TITLE, { icon: ICON });
      registered.push('resource');
    }
  } catch (error) {
    console.error('CDEvents extension: registering the Application tab failed:', error);
  }
  try {
    // registerAppViewExtension arrived in Argo CD 2.7.
    if (typeof api.registerAppViewExtension === 'function') {
      api.registerAppViewExtension(CDEventsAppView, TAB_TITLE, ICON);
      registered.push('appView');
    }
  } catch (error) {
    console.error('CDEvents extension: registering the app view failed:', error);
  }
  // The developer dashboard in the sidebar; reliable in the sidebar from Argo CD 2.13.
  if (typeof api.registerSystemLevelExtension === 'function') {
    const registerDashboard = api.registerSystemLevelExtension;
    whenHostRendered(() => {
      try {
        registerDashboard(DashboardPage, TAB_TITLE, DASHBOARD_PATH, ICON);
      } catch (error) {
        console.error('CDEvents extension: registering the dashboard failed:', error);
      }
    });
    registered.push('systemLevel');
  }
  return registered;
}

/**
 * Runs `register` once Argo CD's page has rendered (its #app has content). Argo CD's App listens for
 * system-level extensions from its constructor, and Argo CD 3.5 renders with React 19's createRoot,
 * after the deferred extensions.js has run: a dashboard registered at once is lost there (no sidebar
 * item, no route; seen on 3.5.1). Argo CD 3.4 and older render synchronously, so this runs at once.
 */
function whenHostRendered(register: () => void): void {
  const root = typeof document === 'undefined' ? null : document.getElementById('app');
  if (!root || root.firstChild || typeof MutationObserver === 'undefined') {
    register();
    return;
  }
  const observer = new MutationObserver(() => {
    if (!root.firstChild) return;
    observer.disconnect();
    register();
  });
  observer.observe(root, { childList: true });
}
