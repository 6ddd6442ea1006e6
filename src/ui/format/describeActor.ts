import type { EventRecord } from '../../backend/api/contract';
import { readString } from '../timeline/readPayload';

/** The actor the backend names Argo CD's automated sync by (src/backend/store/eventActor.ts). */
const AUTO_SYNC = 'auto-sync';

/** "synced by alice" or "auto-sync" for the timeline row; undefined when the event names nobody. */
export function describeActor(event: Pick<EventRecord, 'actor'>): string | undefined {
  if (!event.actor) return undefined;
  return event.actor === AUTO_SYNC ? AUTO_SYNC : `synced by ${event.actor}`;
}

/**
 * The drawer's longer form: the row's text, with the auto-sync reason our emitted events carry
 * ("auto-sync (self-heal, attempt 2)").
 */
export function describeActorInDetail(event: Pick<EventRecord, 'actor' | 'payload'>): string | undefined {
  const short = describeActor(event);
  if (event.actor !== AUTO_SYNC) return short;
  const initiatedBy = ['customData', 'argocd', 'operation', 'initiatedBy'];
  const reason = readString(event.payload, [...initiatedBy, 'reason']);
  const attempts = readString(event.payload, [...initiatedBy, 'autoHealAttempts']);
  if (!reason) return short;
  return `${short} (${reason}${attempts ? `, attempt ${attempts}` : ''})`;
}
