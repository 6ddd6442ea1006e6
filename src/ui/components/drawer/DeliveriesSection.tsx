import * as React from 'react';
import { describeApiError } from '../../api/describeApiError';
import type { AppKey } from '../../api/types';
import { formatAbsoluteTime } from '../../format/formatTime';
import { useApiResource } from '../../hooks/useApiResource';

interface DeliveriesSectionProps {
  app: AppKey;
  eventKey: string;
}

/** Where an emitted event was forwarded, and how each attempt went. */
export function DeliveriesSection({ app, eventKey }: DeliveriesSectionProps) {
  const { data, error, loading } = useApiResource(`${app.namespace}/${app.name}/${eventKey}`, (api, signal) =>
    api.getDeliveries(app, eventKey, { signal }),
  );
  let body: React.ReactNode;
  if (loading) body = <p className="cdevents-muted">Loading deliveries…</p>;
  else if (error) body = <p className="cdevents-error">{describeApiError(error)}</p>;
  else if (!data || data.status === 'not-available')
    body = <p className="cdevents-muted">Delivery log not available from this backend.</p>;
  else if (data.deliveries.length === 0)
    body = <p className="cdevents-muted">No sink is configured to receive this event.</p>;
  else
    body = (
      <ul className="cdevents-deliveries">
        {data.deliveries.map((delivery) => (
          <li key={delivery.sink} className={`cdevents-delivery cdevents-delivery--${delivery.status}`}>
            <div className="cdevents-delivery__head">
              <span className="cdevents-delivery__sink">{delivery.sink}</span>
              <span className="cdevents-badge">{delivery.status}</span>
              {delivery.attempts !== undefined && (
                <span className="cdevents-muted">
                  {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
                </span>
              )}
            </div>
            {delivery.lastError && <div className="cdevents-error">{delivery.lastError}</div>}
            {delivery.deliveredAt && (
              <div className="cdevents-muted">Delivered {formatAbsoluteTime(delivery.deliveredAt)}</div>
            )}
            {delivery.nextAttemptAt && (
              <div className="cdevents-muted">Next attempt {formatAbsoluteTime(delivery.nextAttemptAt)}</div>
            )}
            {delivery.log && delivery.log.length > 0 && (
              <ol className="cdevents-delivery__log">
                {delivery.log.map((attempt, index) => (
                  <li key={index}>
                    {attempt.at ? formatAbsoluteTime(attempt.at) : 'attempt'}
                    {attempt.statusCode ? ` — HTTP ${attempt.statusCode}` : ''}
                    {attempt.error ? ` — ${attempt.error}` : ''}
                    {attempt.durationMs !== undefined && attempt.durationMs !== null
                      ? ` (${attempt.durationMs} ms)`
                      : ''}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    );
  return (
    <section className="cdevents-section" aria-label="Deliveries">
      <h4 className="cdevents-section__title">Deliveries</h4>
      {body}
    </section>
  );
}
