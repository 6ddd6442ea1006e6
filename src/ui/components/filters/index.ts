export * from './FilterBar';
export * from './MultiSelect';
