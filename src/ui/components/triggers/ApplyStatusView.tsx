import * as React from 'react';
import type { ApplyStatus } from '../../../backend/api/triggerContract';

/** How applying outbound rules to Argo CD went: a headline, then one line per thing written. */
export function ApplyStatusView({ status }: { status: ApplyStatus }) {
  const changes = [
    ...status.annotationsSet.map((key) => `set annotation ${key}`),
    ...status.annotationsRemoved.map((key) => `removed annotation ${key}`),
    ...status.configMapKeysWritten.map((key) => `wrote argocd-notifications-cm ${key}`),
  ];
  if (status.status !== 'applied') return <span>Argo CD: {status.message}</span>;
  return (
    <>
      <span>
        Argo CD:{' '}
        {changes.length > 0 ? `applied (${changes.length} changes)` : 'applied; it already had this configuration'}
      </span>
      {changes.length > 0 ? (
        <ul className="cdevents-triggers__changes" aria-label="Applied to Argo CD">
          {changes.map((line) => (
            <li key={line}>
              <code>{line}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
