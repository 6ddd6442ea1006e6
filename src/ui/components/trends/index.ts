export { buildTrendSeries, latestPoint, type TrendPoint, type TrendSeries } from './buildTrendSeries';
export { TrendChart } from './TrendChart';
export { TrendCharts } from './TrendCharts';
