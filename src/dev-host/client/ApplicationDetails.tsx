import * as React from 'react';
import type { SampleApplication } from '../data/sampleApplications';
import type { ExtensionRegistry } from './createExtensionsApi';
import type { HostLocation } from './useLocation';
import { DetailsPanel } from './DetailsPanel';
import { SlidingPanel } from './SlidingPanel';

export interface ApplicationDetailsProps {
  app: SampleApplication;
  tree: unknown;
  registry: ExtensionRegistry;
  location: HostLocation;
  navigate: (path: string, params?: Record<string, string | undefined>) => void;
}

interface TreeNode {
  kind: string;
  name: string;
  namespace?: string;
  health?: { status: string };
}

const BUILT_IN_VIEWS = [
  { key: 'tree', icon: 'fa-sitemap', title: 'Tree' },
  { key: 'list', icon: 'fa-th-list', title: 'List' },
];

/**
 * The app details page, shaped like Argo CD's: a toolbar (DETAILS, top-bar
 * extensions, view switcher with app-view extensions), the status panel (with
 * status-panel extensions), the main view, and the Details sliding panel
 * opened by ?tab=.
 */
export function ApplicationDetails({ app, tree, registry, location, navigate }: ApplicationDetailsProps) {
  const path = location.pathname;
  const view = location.params.get('view') ?? 'tree';
  const tab = location.params.get('tab') ?? undefined;
  const flyoutId = location.params.get('extension') ?? undefined;
  const go = (params: Record<string, string | undefined>) =>
    navigate(path, { view: location.params.get('view') ?? undefined, ...params });

  const appViews = registry.appViews.filter((ext) => ext.shouldDisplay(app));
  const appView = appViews.find((ext) => ext.title === view);
  const topBar = registry.topBarActions.filter((ext) => ext.shouldDisplay(app));
  const nodes = ((tree as { nodes?: TreeNode[] } | undefined)?.nodes ?? []) as TreeNode[];

  const flyout =
    registry.statusPanels.find((ext) => ext.id === flyoutId)?.flyout ??
    registry.topBarActions.find((ext) => ext.id === flyoutId)?.flyout;

  return (
    <div className="application-details devhost-app-details">
      <div className="devhost-toolbar">
        <button type="button" className="devhost-button" onClick={() => go({ tab: 'summary' })}>
          <i className="fa fa-info-circle" /> DETAILS
        </button>
        <button type="button" className="devhost-button" disabled title="The stand-in does not sync">
          SYNC
        </button>
        {topBar.map((ext) => {
          const Component = ext.component;
          return (
            <button key={ext.id} type="button" className="devhost-button" onClick={() => go({ extension: ext.id })}>
              {ext.iconClassName ? <i className={ext.iconClassName} /> : null}
              <Component application={app} tree={tree} openFlyout={() => go({ extension: ext.id })} />
            </button>
          );
        })}
        <span className="devhost-view-switcher">
          {BUILT_IN_VIEWS.map((v) => (
            <button
              key={v.key}
              type="button"
              title={v.title}
              className={`devhost-view${view === v.key ? ' devhost-view-selected' : ''}`}
              onClick={() => navigate(path, { view: v.key })}
            >
              <i className={`fa ${v.icon}`} /> {v.title}
            </button>
          ))}
          {appViews.map((ext) => (
            <button
              key={ext.title}
              type="button"
              title={ext.title}
              className={`devhost-view${view === ext.title ? ' devhost-view-selected' : ''}`}
              onClick={() => navigate(path, { view: ext.title })}
            >
              <i className={`fa ${ext.icon}`} /> {ext.title}
            </button>
          ))}
        </span>
      </div>

      <div className="devhost-status-panel">
        <div className="devhost-status-item">
          <label>APP HEALTH</label>
          <span>{app.status.health.status}</span>
        </div>
        <div className="devhost-status-item">
          <label>SYNC STATUS</label>
          <span>
            {app.status.sync.status} to {app.spec.source?.targetRevision ?? 'multiple sources'}
          </span>
        </div>
        <div className="devhost-status-item">
          <label>LAST SYNC</label>
          <span>
            {app.status.operationState.phase} at {app.status.operationState.finishedAt}
          </span>
        </div>
        {registry.statusPanels.map((ext) => {
          const Component = ext.component;
          return (
            <div key={ext.id} className="devhost-status-item">
              <Component application={app} openFlyout={() => go({ extension: ext.id })} />
            </div>
          );
        })}
      </div>

      <div className="devhost-view-content">
        {appView ? (
          <appView.component application={app} tree={tree} />
        ) : (
          <table className="devhost-resources">
            <thead>
              <tr>
                <th>KIND</th>
                <th>NAME</th>
                <th>NAMESPACE</th>
                <th>HEALTH</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((node) => (
                <tr key={`${node.kind}/${node.name}`}>
                  <td>{node.kind}</td>
                  <td>{node.name}</td>
                  <td>{node.namespace}</td>
                  <td>{node.health?.status ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      {tab ? (
        <DetailsPanel
          app={app}
          tree={tree}
          resources={registry.resources}
          selected={tab}
          onSelect={(key) => go({ tab: key })}
          onClose={() => go({})}
        />
      ) : null}
      {flyout ? (
        <SlidingPanel label={`${app.metadata.name} extension`} onClose={() => go({})}>
          {React.createElement(flyout, { application: app, tree })}
        </SlidingPanel>
      ) : null}
    </div>
  );
}
