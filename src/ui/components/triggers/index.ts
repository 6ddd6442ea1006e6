export * from './TriggersPanel';
export * from './TriggerForm';
export * from './TriggersApiContext';
export * from './createTriggersClient';
export * from './useTriggers';
