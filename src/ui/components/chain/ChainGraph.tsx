import * as React from 'react';
import type { ChainNode, ChainResponse } from '../../../backend/api/contract';
import type { AppKey } from '../../api/types';
import { buildAppTabHref } from './buildAppTabHref';
import { layoutChain, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from './layoutChain';

export interface ChainGraphProps {
  chain: Pick<ChainResponse, 'start' | 'nodes' | 'edges'>;
  /** The app whose tab shows the graph: its events open here, other apps' events link to their tab. */
  app: AppKey;
  onOpenEvent: (key: string) => void;
  /** Defaults to document.baseURI. */
  baseURI?: string;
}

const ZOOMS = [0.25, 0.4, 0.6, 0.8, 1, 1.25, 1.5];

function isInApp(node: ChainNode, app: AppKey): boolean {
  return node.apps.some((a) => a.namespace === app.namespace && a.name === app.name) || node.apps.length === 0;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describeNode(node: ChainNode): string {
  return node.subject && node.predicate ? `${node.subject} ${node.predicate}` : (node.type ?? 'unknown type');
}

function NodeBody({ placed, isStart, caption }: { placed: PlacedNode; isStart: boolean; caption: string }) {
  const { node } = placed;
  return (
    <>
      <rect
        className={`cdevents-chain__box${isStart ? ' cdevents-chain__box--start' : ''}`}
        x={-NODE_WIDTH / 2}
        y={-NODE_HEIGHT / 2}
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
      />
      <text className="cdevents-chain__label" x={-NODE_WIDTH / 2 + 10} y={-4}>
        {shorten(describeNode(node), 26)}
      </text>
      <text className="cdevents-chain__caption" x={-NODE_WIDTH / 2 + 10} y={13}>
        {shorten(caption, 30)}
      </text>
    </>
  );
}

/**
 * The chain as a layered SVG graph: stage columns left to right, solid edges
 * for links the events state and dashed ones for inferred links. The events of
 * this app are buttons that open the event; another app's events are links to
 * that app's CDEvents view. Scrolls and zooms so 200 events stay readable.
 */
export function ChainGraph({ chain, app, onOpenEvent, baseURI }: ChainGraphProps) {
  const layout = React.useMemo(() => layoutChain(chain), [chain]);
  const [zoomIndex, setZoomIndex] = React.useState(ZOOMS.indexOf(1));
  const zoom = ZOOMS[zoomIndex]!;
  const base = baseURI ?? document.baseURI;
  const headingHeight = 22;
  const width = Math.max(layout.width, 200);
  const height = layout.height + headingHeight;
  const onKey = (key: string) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpenEvent(key);
    }
  };
  return (
    <div className="cdevents-chain">
      <div className="cdevents-chain__toolbar" role="toolbar" aria-label="Zoom">
        <button
          type="button"
          className="cdevents-button"
          aria-label="Zoom out"
          disabled={zoomIndex === 0}
          onClick={() => setZoomIndex((i) => Math.max(0, i - 1))}
        >
          <i className="fa fa-search-minus" aria-hidden="true" />
        </button>
        <span className="cdevents-chain__zoom" aria-live="polite">
          {Math.round(zoom * 100)}%
        </span>
        <button
          type="button"
          className="cdevents-button"
          aria-label="Zoom in"
          disabled={zoomIndex === ZOOMS.length - 1}
          onClick={() => setZoomIndex((i) => Math.min(ZOOMS.length - 1, i + 1))}
        >
          <i className="fa fa-search-plus" aria-hidden="true" />
        </button>
        <span className="cdevents-chain__legend">
          <span className="cdevents-chain__legend-explicit">stated link</span>
          <span className="cdevents-chain__legend-inferred">inferred link</span>
        </span>
      </div>
      <div className="cdevents-chain__viewport">
        <svg
          className="cdevents-chain__svg"
          width={width * zoom}
          height={height * zoom}
          viewBox={`0 0 ${width} ${height}`}
          role="group"
          aria-label={`Causal chain of ${chain.nodes.length} events`}
        >
          <defs>
            <marker
              id="cdevents-chain-arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path className="cdevents-chain__arrow" d="M 0 0 L 10 5 L 0 10 z" />
            </marker>
          </defs>
          {layout.columns.map((column) => (
            <text
              key={column.stage}
              className="cdevents-chain__column"
              x={(column.x0 + column.x1) / 2}
              y={14}
              textAnchor="middle"
            >
              {column.stage}
            </text>
          ))}
          <g transform={`translate(0 ${headingHeight})`}>
            {layout.edges.map(({ edge, points }) => (
              <path
                key={`${edge.from}-${edge.to}`}
                className={`cdevents-chain__edge cdevents-chain__edge--${edge.kind}`}
                data-edge-kind={edge.kind}
                d={points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ')}
                markerEnd="url(#cdevents-chain-arrow)"
              >
                <title>
                  {edge.kind === 'explicit' ? 'stated' : 'inferred'}: {edge.linkKind ?? edge.reason}
                  {edge.value ? ` ${edge.value}` : ''}
                </title>
              </path>
            ))}
            {layout.nodes.map((placed) => {
              const { node } = placed;
              const isStart = node.key === chain.start;
              const className = `cdevents-chain__node cdevents-chain__node--${node.stage}`;
              const transform = `translate(${placed.x} ${placed.y})`;
              if (isInApp(node, app)) {
                const caption = node.subjectId ?? node.source;
                return (
                  <g
                    key={node.key}
                    className={className}
                    transform={transform}
                    role="button"
                    tabIndex={0}
                    data-event-key={node.key}
                    aria-label={`${describeNode(node)}, ${node.stage} stage${isStart ? ', the event the chain starts from' : ''}: open`}
                    onClick={() => onOpenEvent(node.key)}
                    onKeyDown={onKey(node.key)}
                  >
                    <NodeBody placed={placed} isStart={isStart} caption={caption} />
                  </g>
                );
              }
              const other = node.apps.find((a) => !(a.namespace === app.namespace && a.name === app.name))!;
              return (
                <a
                  key={node.key}
                  className="cdevents-chain__link"
                  href={buildAppTabHref(other, node.key, base)}
                  data-event-key={node.key}
                  aria-label={`${describeNode(node)}, ${node.stage} stage, in ${other.namespace}/${other.name}: open that app's CDEvents`}
                >
                  <g className={`${className} cdevents-chain__node--other-app`} transform={transform}>
                    <NodeBody placed={placed} isStart={isStart} caption={`in ${other.name}`} />
                  </g>
                </a>
              );
            })}
          </g>
        </svg>
      </div>
    </div>
  );
}
