export * from './Timeline';
export * from './TimelineEventRow';
export * from './VerdictBadge';
export * from './NewEventsPill';
