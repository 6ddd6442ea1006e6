import * as React from 'react';
import type { DoraTrends } from '../../../backend/api/contract';
import { buildTrendSeries } from './buildTrendSeries';
import { TrendChart } from './TrendChart';
import './Trends.css';

/** The four DORA figures of the last 13 weeks as small charts, side by side. */
export function TrendCharts({ trends, compact = false }: { trends: DoraTrends; compact?: boolean }) {
  const series = React.useMemo(() => buildTrendSeries(trends), [trends]);
  return (
    <div className="cdevents-trends" data-testid="cdevents-trends">
      {series.map((item) => (
        <TrendChart key={item.id} series={item} compact={compact} />
      ))}
    </div>
  );
}
