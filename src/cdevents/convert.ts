import type { CDEvent, EmitSpecVersion } from './types';

/** STUB: converts an event between spec 0.5.1 and 0.4.1. */
export function convertEvent(event: CDEvent, _to: EmitSpecVersion): CDEvent {
  return event;
}
