import * as React from 'react';
import { describeApiError } from '../../api/describeApiError';
import type { AppKey } from '../../api/types';
import { useNow } from '../../hooks/useNow';
import { TrendCharts } from '../trends/TrendCharts';
import { buildSummaryFigures, describeWindowLength } from './buildSummaryFigures';
import { useAppSummary, type UseAppSummaryOptions } from './useAppSummary';
import './SummaryStrip.css';

interface SummaryStripProps {
  app: AppKey;
  /** Window, refresh key, poll interval, fetch: see useAppSummary. */
  options?: UseAppSummaryOptions;
}

/**
 * The strip above the timeline: deployments, last deploy, failures, open
 * incidents and the app's DORA figures, each a labelled term and definition.
 * A figure that cannot be computed shows a dash and says what data it lacks. Below them, the four
 * DORA figures of the last 13 weeks as small charts.
 */
export function SummaryStrip({ app, options }: SummaryStripProps) {
  const { data, error, loading } = useAppSummary(app, options);
  const now = useNow();
  const figures = React.useMemo(() => (data ? buildSummaryFigures(data, now) : []), [data, now]);
  const windowText = describeWindowLength(data?.window ?? options?.window ?? '30d');

  if (data === null) {
    return (
      // aria-live rather than role status/alert: the timeline below owns the tab's one status and alert.
      <section
        className="cdevents-summary cdevents-summary--state"
        aria-label="Summary"
        aria-busy={loading}
        aria-live="polite"
        data-testid="cdevents-summary"
      >
        {loading || !error ? (
          <div className="cdevents-summary__state">Loading summary…</div>
        ) : (
          <div className="cdevents-summary__state cdevents-summary__state--error">
            The summary could not be loaded. {describeApiError(error)}
          </div>
        )}
      </section>
    );
  }

  return (
    <section
      className="cdevents-summary"
      aria-label={`Summary of the last ${windowText}`}
      data-testid="cdevents-summary"
    >
      <dl className="cdevents-summary__list">
        {figures.map((figure) => (
          <div key={figure.id} className="cdevents-summary__item" data-figure={figure.id}>
            <dt className="cdevents-summary__term" title={figure.definition}>
              {figure.term}
            </dt>
            <dd
              className={`cdevents-summary__value${figure.tone ? ` cdevents-summary__value--${figure.tone}` : ''}${figure.value === null ? ' cdevents-summary__value--missing' : ''}`}
            >
              {figure.value ?? (
                <>
                  <span aria-hidden="true">—</span>
                  <span className="cdevents-visually-hidden">not available</span>
                </>
              )}
            </dd>
            <dd className="cdevents-summary__detail" title={figure.detailTitle ?? figure.detail}>
              {figure.detail}
            </dd>
          </div>
        ))}
      </dl>
      {data.trends && (
        <div className="cdevents-summary__trends">
          <TrendCharts trends={data.trends} />
        </div>
      )}
      <div className="cdevents-summary__footer">
        <span>Last {windowText}</span>
        {data.trends && <span>Charts: the last {data.trends.weeks.length} weeks, a bar a week</span>}
        {error && (
          <span className="cdevents-summary__stale" aria-live="polite">
            Not refreshed: {describeApiError(error)}
          </span>
        )}
      </div>
    </section>
  );
}
