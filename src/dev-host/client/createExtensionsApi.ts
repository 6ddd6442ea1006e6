/**
 * window.extensionsAPI as Argo CD's extensions-service.ts defines it: the five
 * register functions with their signatures, plus the legacy window.extensions.
 * Like Argo CD >= 2.13 the host re-renders when an extension registers after the
 * page mounted, so registries notify their listeners on every registration.
 */
import type { ComponentType } from 'react';

export interface ResourceExtension {
  component: ComponentType<Record<string, unknown>>;
  group: string;
  kind: string;
  title: string;
  icon?: string;
}

export interface SystemLevelExtension {
  component: ComponentType;
  title: string;
  path: string;
  icon: string;
}

export interface AppViewExtension {
  component: ComponentType<Record<string, unknown>>;
  title: string;
  icon: string;
  shouldDisplay: (app: unknown) => boolean;
}

export interface StatusPanelExtension {
  component: ComponentType<Record<string, unknown>>;
  title: string;
  id: string;
  flyout?: ComponentType<Record<string, unknown>>;
}

export interface TopBarActionMenuExtension {
  component: ComponentType<Record<string, unknown>>;
  title: string;
  id: string;
  flyout: ComponentType<Record<string, unknown>>;
  shouldDisplay: (app?: unknown) => boolean;
  iconClassName?: string;
  isMiddle: boolean;
}

export interface ExtensionRegistry {
  resources: ResourceExtension[];
  systemLevel: SystemLevelExtension[];
  appViews: AppViewExtension[];
  statusPanels: StatusPanelExtension[];
  topBarActions: TopBarActionMenuExtension[];
}

export interface ExtensionsApi {
  registerResourceExtension(
    component: ComponentType<Record<string, unknown>>,
    group: string,
    kind: string,
    tabTitle: string,
    opts?: { icon: string },
  ): void;
  registerSystemLevelExtension(component: ComponentType, title: string, path: string, icon: string): void;
  registerAppViewExtension(
    component: ComponentType<Record<string, unknown>>,
    title: string,
    icon: string,
    shouldDisplay?: (app: unknown) => boolean,
  ): void;
  registerStatusPanelExtension(
    component: ComponentType<Record<string, unknown>>,
    title: string,
    id: string,
    flyout?: ComponentType<Record<string, unknown>>,
  ): void;
  registerTopBarActionMenuExt(
    component: ComponentType<Record<string, unknown>>,
    title: string,
    id: string,
    flyout: ComponentType<Record<string, unknown>>,
    shouldDisplay?: (app?: unknown) => boolean,
    iconClassName?: string,
    isMiddle?: boolean,
  ): void;
}

export interface ExtensionsHost {
  api: ExtensionsApi;
  registry: ExtensionRegistry;
  /** Calls `listener` after every registration; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** How many registrations so far: lets a late subscriber see what it missed. */
  version(): number;
}

/** Creates the API and the registry it fills. */
export function createExtensionsApi(): ExtensionsHost {
  const registry: ExtensionRegistry = {
    resources: [],
    systemLevel: [],
    appViews: [],
    statusPanels: [],
    topBarActions: [],
  };
  const listeners = new Set<() => void>();
  let registrations = 0;
  const notify = () => {
    registrations++;
    listeners.forEach((listener) => listener());
  };
  const api: ExtensionsApi = {
    registerResourceExtension(component, group, kind, tabTitle, opts) {
      registry.resources.push({ component, group, kind, title: tabTitle, icon: opts?.icon });
      notify();
    },
    registerSystemLevelExtension(component, title, path, icon) {
      // Argo CD's App subscribes to system-level registrations in its constructor, and Argo CD 3.5
      // renders with React 19's createRoot, after the deferred extensions.js may already have run: a
      // registration made before the page rendered is lost there (no nav item, no route). So here.
      if (!document.getElementById('app')?.firstChild) {
        console.warn(
          `dev-host: system-level extension "${title}" registered before the page rendered; lost, as in Argo CD 3.5`,
        );
        return;
      }
      registry.systemLevel.push({ component, title, path, icon });
      notify();
    },
    registerAppViewExtension(component, title, icon, shouldDisplay) {
      registry.appViews.push({ component, title, icon, shouldDisplay: shouldDisplay ?? (() => true) });
      notify();
    },
    registerStatusPanelExtension(component, title, id, flyout) {
      registry.statusPanels.push({ component, title, id, flyout });
      notify();
    },
    registerTopBarActionMenuExt(
      component,
      title,
      id,
      flyout,
      shouldDisplay = () => true,
      iconClassName,
      isMiddle = false,
    ) {
      registry.topBarActions.push({ component, title, id, flyout, shouldDisplay, iconClassName, isMiddle });
      notify();
    },
  };
  return {
    api,
    registry,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    version: () => registrations,
  };
}

/** Argo CD matches a resource tab's group and kind with minimatch; `*` and `**` are the globs in use. */
export function matchesGlob(pattern: string, value: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(value);
}
