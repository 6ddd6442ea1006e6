import * as React from 'react';
import type { SampleApplication } from '../data/sampleApplications';

export interface ApplicationListProps {
  applications: SampleApplication[];
  navigate: (path: string, params?: Record<string, string | undefined>) => void;
}

function describeSource(app: SampleApplication): string {
  const sources = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  return sources.map((s) => s.repoURL).join(', ');
}

/** The Applications page: one tile per app, like Argo CD's tiles view. */
export function ApplicationList({ applications, navigate }: ApplicationListProps) {
  return (
    <div className="devhost-tiles">
      {applications.map((app) => {
        const path = `/applications/${app.metadata.namespace}/${app.metadata.name}`;
        return (
          <a
            key={app.metadata.uid}
            className={`devhost-tile devhost-health-${app.status.health.status.toLowerCase()}`}
            href={path.slice(1)}
            onClick={(e) => {
              e.preventDefault();
              navigate(path);
            }}
          >
            <div className="devhost-tile-title">{app.metadata.name}</div>
            <dl>
              {[
                ['Project', app.spec.project],
                ['Status', `${app.status.health.status} · ${app.status.sync.status}`],
                ['Repository', describeSource(app)],
                ['Destination', `${app.spec.destination.server} / ${app.spec.destination.namespace}`],
              ].map(([term, value]) => (
                <React.Fragment key={term}>
                  <dt>{term}</dt>
                  <dd title={value}>{value}</dd>
                </React.Fragment>
              ))}
            </dl>
          </a>
        );
      })}
    </div>
  );
}
