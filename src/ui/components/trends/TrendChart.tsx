import * as React from 'react';
import { latestPoint, type TrendSeries } from './buildTrendSeries';

const WIDTH = 130;
const HEIGHT = 30;
const GAP = 2;

/**
 * One figure as a small bar chart, a bar a week, in plain SVG (no charting library: four bar
 * charts cost less than a kilobyte this way). A week with no data is a dotted mark on the baseline,
 * not a zero bar; a zero is a thin solid line. Every bar says its week and value on hover.
 */
export function TrendChart({ series, compact = false }: { series: TrendSeries; compact?: boolean }) {
  const count = series.points.length;
  const max = Math.max(0, ...series.points.map((point) => point.value ?? 0));
  const barWidth = count > 0 ? (WIDTH - GAP * (count - 1)) / count : WIDTH;
  const latest = latestPoint(series);
  const spoken = series.points
    .map((point) => (point.value === null ? 'no data' : series.format(point.value)))
    .join(', ');
  return (
    <figure className="cdevents-trend" data-trend={series.id} aria-label={series.title}>
      <figcaption className="cdevents-trend__caption">
        {!compact && <span className="cdevents-trend__title">{series.title}</span>}
        <span className="cdevents-trend__latest">
          {latest ? `${series.format(latest.value!)} (week of ${latest.week})` : 'no data'}
        </span>
      </figcaption>
      <svg
        className={`cdevents-trend__chart${series.lowerIsBetter ? ' cdevents-trend__chart--lower-better' : ''}`}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${series.title}, ${count} weeks, oldest first: ${spoken}`}
      >
        <line className="cdevents-trend__axis" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
        {series.points.map((point, index) => {
          const x = index * (barWidth + GAP);
          if (point.value === null) {
            return (
              <rect
                key={point.week}
                className="cdevents-trend__missing"
                x={x}
                y={HEIGHT - 3}
                width={barWidth}
                height={3}
              >
                <title>{`week of ${point.week}: no data (${point.missing ?? 'unknown'})`}</title>
              </rect>
            );
          }
          const height = max > 0 ? Math.max(1, (point.value / max) * (HEIGHT - 2)) : 1;
          return (
            <rect
              key={point.week}
              className="cdevents-trend__bar"
              data-value={point.value}
              x={x}
              y={HEIGHT - height}
              width={barWidth}
              height={height}
            >
              <title>{`week of ${point.week}: ${series.format(point.value)}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
