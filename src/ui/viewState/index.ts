export * from './viewState';
export * from './useViewState';
