import * as React from 'react';
import { describeApiError } from '../../api/describeApiError';
import type { AppKey } from '../../api/types';
import { formatAbsoluteTime } from '../../format/formatTime';
import { useNow } from '../../hooks/useNow';
import { buildAppTabHref } from '../chain/buildAppTabHref';
import { ErrorBoundary } from '../ErrorBoundary';
import { RelativeTime } from '../RelativeTime';
import type { AppDashboardResponse } from '../../../backend/api/contract';
import { buildTrendSeries } from '../trends/buildTrendSeries';
import { TrendChart } from '../trends/TrendChart';
import '../trends/Trends.css';
import { buildDashboardView, formatDuration, type DashboardView } from './buildDashboardView';
import { buildRunsWhereMatrix, type RunsWhereMatrix } from './buildRunsWhereMatrix';
import { useDashboard, type UseDashboardOptions } from './useDashboard';
import '../CDEventsView.css';
import './Dashboard.css';

/** How a deployment's predicate reads before its artifact: "upgraded to portal 3.8.0". */
const DEPLOYMENT_VERBS: Record<string, string> = {
  deployed: 'deployed',
  upgraded: 'upgraded to',
  rolledback: 'rolled back to',
  removed: 'removed',
};

function AppLink({ app, eventKey }: { app: AppKey; eventKey: string }) {
  return (
    <a className="cdevents-dashboard__app" href={buildAppTabHref(app, eventKey, document.baseURI)}>
      {app.name}
    </a>
  );
}

/**
 * What runs where: apps × environments (columns dev → test → staging → production, ADR 0013), each
 * cell the running version, since when it runs there, and whether the previous column runs another.
 */
function Running({ matrix, now }: { matrix: RunsWhereMatrix; now: number }) {
  if (matrix.rows.length === 0) return <p className="cdevents-dashboard__empty">No deployments recorded yet.</p>;
  return (
    <table className="cdevents-dashboard__table cdevents-matrix" data-testid="cdevents-dashboard-running">
      <thead>
        <tr>
          <th>Application</th>
          {matrix.columns.map((column) => (
            <th key={column.key} title={column.environments.join('\n')}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.rows.map((row) => (
          <tr key={`${row.app.namespace}/${row.app.name}`}>
            <td>
              <AppLink app={row.app} eventKey={Object.values(row.cells)[0]![0]!.key} />
            </td>
            {matrix.columns.map((column) => (
              <td key={column.key} data-column={column.label}>
                {(row.cells[column.key] ?? []).map((cell) => (
                  <div
                    key={cell.key}
                    className={`cdevents-matrix__cell${cell.previous?.differs ? ' cdevents-matrix__cell--differs' : ''}`}
                    title={`${cell.environment}\n${cell.artifactId ?? 'unknown artifact'}`}
                  >
                    <span className="cdevents-matrix__version">{cell.artifact}</span>
                    {cell.predicate === 'rolledback' && <span className="cdevents-dashboard__tag">rolled back</span>}
                    <span className="cdevents-matrix__age" title={`here since ${formatAbsoluteTime(cell.since)}`}>
                      for {formatDuration(Math.max(0, Math.round((now - Date.parse(cell.since)) / 1000)))}
                    </span>
                    {cell.previous && (
                      <span className="cdevents-matrix__previous">
                        {cell.previous.differs
                          ? `differs from ${cell.previous.column} (${cell.previous.artifact})`
                          : `same as ${cell.previous.column}`}
                      </span>
                    )}
                  </div>
                ))}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each app's four DORA figures of the last 13 weeks as small charts, a row per app. */
function Trends({ parts }: { parts: ReadonlyArray<{ app: AppKey; data: AppDashboardResponse }> }) {
  const rows = parts.flatMap(({ app, data }) => (data.trends ? [{ app, series: buildTrendSeries(data.trends) }] : []));
  if (rows.length === 0) return <p className="cdevents-dashboard__empty">No trends from this backend.</p>;
  return (
    <table className="cdevents-dashboard__table" data-testid="cdevents-dashboard-trends">
      <thead>
        <tr>
          <th>Application</th>
          {rows[0]!.series.map((series) => (
            <th key={series.id}>{series.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ app, series }) => (
          <tr key={`${app.namespace}/${app.name}`}>
            <td>{app.name}</td>
            {series.map((item) => (
              <td key={item.id}>
                <TrendChart series={item} compact />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Bottleneck({ view }: { view: DashboardView }) {
  const [slowest, ...others] = view.steps;
  if (!slowest) {
    return (
      <p className="cdevents-dashboard__empty">
        No deployment in this window could be traced back to a build or change.
      </p>
    );
  }
  return (
    <div data-testid="cdevents-dashboard-bottleneck">
      <p className="cdevents-dashboard__answer">
        Slowest step: <strong>{`${slowest.from} → ${slowest.to}`}</strong>, median{' '}
        {formatDuration(slowest.medianSeconds)} (longest {formatDuration(slowest.maxSeconds)}, {slowest.count}{' '}
        deployment{slowest.count === 1 ? '' : 's'})
      </p>
      {others.length > 0 && (
        <ul className="cdevents-dashboard__steps">
          {others.map((step) => (
            <li key={`${step.from}>${step.to}`}>
              {`${step.from} → ${step.to}`}: median {formatDuration(step.medianSeconds)}, longest{' '}
              {formatDuration(step.maxSeconds)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function EndToEnd({ view, now }: { view: DashboardView; now: number }) {
  if (view.endToEnd.length === 0) return <p className="cdevents-dashboard__empty">No end-to-end path found.</p>;
  return (
    <div data-testid="cdevents-dashboard-end-to-end">
      {view.medianEndToEndSeconds !== null && (
        <p className="cdevents-dashboard__answer">
          Median change → deploy: <strong>{formatDuration(view.medianEndToEndSeconds)}</strong>
        </p>
      )}
      <table className="cdevents-dashboard__table">
        <thead>
          <tr>
            <th>Application</th>
            <th>Environment</th>
            <th>Deployed</th>
            <th>End to end</th>
            <th>Slowest step</th>
          </tr>
        </thead>
        <tbody>
          {view.endToEnd.map((row) => (
            <tr key={row.key}>
              <td>
                <AppLink app={row.app} eventKey={row.key} />
              </td>
              <td>{row.environment ?? ''}</td>
              <td>{row.deployedAt && <RelativeTime iso={row.deployedAt} now={now} />}</td>
              <td>{formatDuration(row.totalSeconds)}</td>
              <td>
                {row.slowest ? `${row.slowest.from} → ${row.slowest.to} (${formatDuration(row.slowest.seconds)})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Recent({ view, now }: { view: DashboardView; now: number }) {
  if (view.recent.length === 0) return <p className="cdevents-dashboard__empty">No deployments or incidents.</p>;
  return (
    <ul className="cdevents-dashboard__recent" data-testid="cdevents-dashboard-recent">
      {view.recent.slice(0, 50).map((row) => (
        <li key={`${row.kind}:${row.key}:${row.app.name}`} className={`cdevents-dashboard__recent--${row.kind}`}>
          <RelativeTime iso={row.timestamp} now={now} /> <AppLink app={row.app} eventKey={row.key} />{' '}
          <span className="cdevents-dashboard__what">
            {row.kind === 'incident' ? `incident ${row.predicate}` : (DEPLOYMENT_VERBS[row.predicate] ?? row.predicate)}
          </span>{' '}
          {row.detail} {row.environment && <span className="cdevents-dashboard__env">in {row.environment}</span>}
        </li>
      ))}
    </ul>
  );
}

interface DashboardPageProps {
  options?: UseDashboardOptions;
}

function DashboardContent(props: DashboardPageProps) {
  const hours = props.options?.hours ?? 24;
  const state = useDashboard(props.options);
  const now = useNow();
  const view = React.useMemo(() => (state.status === 'ready' ? buildDashboardView(state.parts) : null), [state]);
  const matrix = React.useMemo(() => (state.status === 'ready' ? buildRunsWhereMatrix(state.parts) : null), [state]);
  let content: React.ReactNode;
  if (state.status === 'loading') {
    content = (
      <div className="cdevents-state" role="status">
        Loading the dashboard…
      </div>
    );
  } else if (state.status === 'failed') {
    content = (
      <div className="cdevents-state cdevents-state--error" role="alert">
        Could not list the applications you may see: {describeApiError(state.error)}
      </div>
    );
  } else if (view && matrix) {
    content = (
      <>
        <p className="cdevents-dashboard__scope" data-testid="cdevents-dashboard-scope">
          {state.appCount} application{state.appCount === 1 ? '' : 's'} you may see in Argo CD; deployments and
          incidents of the last {hours} h.
        </p>
        {state.failures.length > 0 && (
          <div className="cdevents-banner cdevents-banner--error" role="alert">
            {state.failures.map(({ app, error }) => (
              <div key={`${app.namespace}/${app.name}`}>
                {app.name}: {describeApiError(error)}
              </div>
            ))}
          </div>
        )}
        <section className="cdevents-dashboard__section">
          <h3>What is running right now?</h3>
          <Running matrix={matrix} now={now} />
        </section>
        <section className="cdevents-dashboard__section">
          <h3>How are the DORA figures trending? (last 13 weeks, a bar a week)</h3>
          <Trends parts={state.status === 'ready' ? state.parts : []} />
        </section>
        <section className="cdevents-dashboard__section">
          <h3>Where is the bottleneck?</h3>
          <Bottleneck view={view} />
        </section>
        <section className="cdevents-dashboard__section">
          <h3>How long did end-to-end take?</h3>
          <EndToEnd view={view} now={now} />
        </section>
        <section className="cdevents-dashboard__section">
          <h3>Last {hours} hours: deployments and incidents</h3>
          <Recent view={view} now={now} />
        </section>
      </>
    );
  }
  return <div className="cdevents-root cdevents-root--page cdevents-dashboard">{content}</div>;
}

/**
 * The developer dashboard, Argo CD's sidebar item "CDEvents" (a system-level
 * extension, so Argo CD passes no props): what runs where (apps × environments), how the DORA
 * figures trend over 13 weeks, where the time goes
 * between change and deploy, and how long end to end took, across the apps this
 * user may see. Argo CD renders it without an error boundary, so it brings ours.
 */
export function DashboardPage(props: DashboardPageProps) {
  return (
    <ErrorBoundary>
      <DashboardContent {...props} />
    </ErrorBoundary>
  );
}
