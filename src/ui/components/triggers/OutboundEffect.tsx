import * as React from 'react';
import type { TriggerListResponse, TriggerMoment } from '../../../backend/api/triggerContract';
import type { AppKey } from '../../api';
import { buildOutboundPreview, describeOutboundPreview } from './buildOutboundPreview';

interface OutboundEffectProps {
  app: AppKey;
  catalog: TriggerListResponse;
  moments: readonly TriggerMoment[];
  enabled: boolean;
  editingId: string | undefined;
}

/** The "Saving writes" list of an outbound rule: every annotation and ConfigMap key saving writes. */
export function OutboundEffect({ app, catalog, moments, enabled, editingId }: OutboundEffectProps) {
  const preview = buildOutboundPreview({ moments, enabled, editingId }, catalog);
  const lines = describeOutboundPreview(preview, app, catalog);
  return (
    <ul>
      {lines.annotations.map((line) => (
        <li key={line}>
          <code>{line}</code>
        </li>
      ))}
      <li>{lines.removal}</li>
      <li>
        {lines.configMap}
        {preview.configMapKeys.length > 0 ? (
          <ul aria-label="argocd-notifications-cm keys written">
            {preview.configMapKeys.map((key) => (
              <li key={key}>
                <code>{key}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </li>
    </ul>
  );
}
