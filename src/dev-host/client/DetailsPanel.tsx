import * as React from 'react';
import type { SampleApplication } from '../data/sampleApplications';
import { matchesGlob, type ResourceExtension } from './createExtensionsApi';
import { HostTabs, SlidingPanel } from './SlidingPanel';

export interface DetailsPanelProps {
  app: SampleApplication;
  tree: unknown;
  resources: ResourceExtension[];
  /** The selected tab's key: a built-in key, an extension's title in lower case, or extension-<i>. */
  selected: string;
  onSelect: (key: string) => void;
  onClose: () => void;
}

interface Tab {
  key: string;
  title: string;
  icon?: string;
  content: () => React.ReactNode;
}

function buildTabKey(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The Details sliding panel of an Application: Argo CD's built-in tabs, then
 * every resource extension registered for argoproj.io/Application in
 * registration order, rendered as <ext.component resource tree application/>
 * without an error boundary, as resource-details.tsx does; in argo-ui's sliding panel and tabs.
 */
export function DetailsPanel({ app, tree, resources, selected, onSelect, onClose }: DetailsPanelProps) {
  const multiSource = Boolean(app.spec.sources);
  const tabs: Tab[] = [
    {
      key: 'summary',
      title: 'SUMMARY',
      content: () => (
        <dl className="devhost-summary">
          <dt>PROJECT</dt>
          <dd>{app.spec.project}</dd>
          <dt>NAMESPACE</dt>
          <dd>{app.metadata.namespace}</dd>
          <dt>CLUSTER</dt>
          <dd>{app.spec.destination.server}</dd>
          <dt>DESTINATION NAMESPACE</dt>
          <dd>{app.spec.destination.namespace}</dd>
          <dt>IMAGES</dt>
          <dd>{app.status.summary.images.join(', ')}</dd>
          <dt>CREATED AT</dt>
          <dd>{app.metadata.creationTimestamp}</dd>
        </dl>
      ),
    },
    {
      key: multiSource ? 'sources' : 'parameters',
      title: multiSource ? 'SOURCES' : 'PARAMETERS',
      content: () => <pre className="devhost-pre">{JSON.stringify(app.spec.sources ?? app.spec.source, null, 2)}</pre>,
    },
    {
      key: 'manifest',
      title: 'MANIFEST',
      content: () => <pre className="devhost-pre">{JSON.stringify(app, null, 2)}</pre>,
    },
    // Argo CD offers DIFF only for an app that is not Synced (resource-details.tsx).
    ...(app.status.sync.status === 'Synced'
      ? []
      : [{ key: 'diff', title: 'DIFF', content: () => <p>The live state differs from the target state.</p> }]),
    { key: 'events', title: 'EVENTS', content: () => <p>No Kubernetes events.</p> },
    ...resources
      .filter((ext) => matchesGlob(ext.group, 'argoproj.io') && matchesGlob(ext.kind, 'Application'))
      .map((ext, i) => ({
        key: buildTabKey(ext.title),
        title: ext.title,
        icon: ext.icon,
        content: () => <ext.component key={`extension-${i}`} resource={app} tree={tree} application={app} />,
        alias: `extension-${i}`,
      })),
  ];
  const current = tabs.find((t) => t.key === selected || (t as { alias?: string }).alias === selected) ?? tabs[0];

  return (
    <SlidingPanel label={`${app.metadata.name} details`} onClose={onClose}>
      <HostTabs tabs={tabs} selected={current.key} onSelect={onSelect}>
        {current.content()}
      </HostTabs>
    </SlidingPanel>
  );
}
