export * from './ChainPanel';
export * from './ChainGraph';
