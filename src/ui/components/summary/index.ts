export { SummaryStrip } from './SummaryStrip';
export { useAppSummary, type AppSummaryState, type UseAppSummaryOptions } from './useAppSummary';
export { fetchAppSummary } from './fetchAppSummary';
export { buildSummaryFigures, DORA_DEFINITIONS, type SummaryFigure } from './buildSummaryFigures';
