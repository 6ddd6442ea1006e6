export * from './types';
export * from './buildApiUrl';
export * from './parseErrorResponse';
export * from './describeApiError';
export * from './createCDEventsClient';
export * from './ApiContext';
export * from './fetchAppJson';
