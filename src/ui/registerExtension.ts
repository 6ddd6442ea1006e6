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
  try {
    // The developer dashboard in the sidebar; reliable in the sidebar from Argo CD 2.13.
    if (typeof api.registerSystemLevelExtension === 'function') {
      api.registerSystemLevelExtension(DashboardPage, TAB_TITLE, DASHBOARD_PATH, ICON);
      registered.push('systemLevel');
    }
  } catch (error) {
    console.error('CDEvents extension: registering the dashboard failed:', error);
  }
  return registered;
}
