import * as React from 'react';
import type { ChainNode, ChainResponse } from '../../../backend/api/contract';
import type { AppKey } from '../../api/types';
import { buildAppTabHref } from './buildAppTabHref';
import { chooseInitialZoom, clampZoom } from './chooseInitialZoom';
import {
  buildEdgePath,
  CAPTION_FONT_PX,
  LABEL_FONT_PX,
  layoutChain,
  NODE_HEIGHT,
  NODE_WIDTH,
  type PlacedNode,
  type Point,
} from './layoutChain';

export interface ChainGraphProps {
  chain: Pick<ChainResponse, 'start' | 'nodes' | 'edges'>;
  /** The app whose tab shows the graph: its events open here, other apps' events link to their tab. */
  app: AppKey;
  onOpenEvent: (key: string) => void;
  /** Defaults to document.baseURI. */
  baseURI?: string;
}

const ZOOM_STEP = 1.25;
const HEADING_HEIGHT = 24;
const TEXT_X = -NODE_WIDTH / 2 + 14;
// Roughly how many characters of each line fit the box (sans-serif averages ~0.55 em a character).
const LABEL_CHARS = Math.floor((NODE_WIDTH - 24) / (LABEL_FONT_PX * 0.53));
const CAPTION_CHARS = Math.floor((NODE_WIDTH - 24) / (CAPTION_FONT_PX * 0.52));
/** Another app's event has a third line naming that app. */
const OTHER_APP_HEIGHT = NODE_HEIGHT + 16;

function isInApp(node: ChainNode, app: AppKey): boolean {
  return node.apps.some((a) => a.namespace === app.namespace && a.name === app.name) || node.apps.length === 0;
}

function shortenEnd(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Ids (purls, URLs, run ids) differ at both ends, so the middle goes. */
function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/** The second line: the subject's id, without a URL's scheme, which every URL shares. */
function captionOf(node: ChainNode): string {
  return (node.subjectId ?? node.source).replace(/^https?:\/\//, '');
}

function describeNode(node: ChainNode): string {
  return node.subject && node.predicate ? `${node.subject} ${node.predicate}` : (node.type ?? 'unknown type');
}

interface NodeBodyProps {
  placed: PlacedNode;
  isStart: boolean;
  /** For another app's event: that app's name. */
  otherApp?: string;
}

function NodeBody({ placed, isStart, otherApp }: NodeBodyProps) {
  const { node, height } = placed;
  const label = describeNode(node);
  const top = -height / 2;
  const tooltip = [
    label,
    node.subjectId ?? node.source,
    otherApp ? `in ${otherApp}` : '',
    isStart ? 'the event this chain starts from' : '',
  ];
  return (
    <>
      <title>{tooltip.filter(Boolean).join('\n')}</title>
      <rect
        className={`cdevents-chain__box${isStart ? ' cdevents-chain__box--start' : ''}`}
        x={-NODE_WIDTH / 2}
        y={top}
        width={NODE_WIDTH}
        height={height}
        rx={6}
      />
      <rect className="cdevents-chain__stripe" x={-NODE_WIDTH / 2} y={top} width={6} height={height} />
      <text className="cdevents-chain__label" x={TEXT_X} y={top + 20} fontSize={LABEL_FONT_PX}>
        {shortenEnd(label, LABEL_CHARS)}
      </text>
      <text className="cdevents-chain__caption" x={TEXT_X} y={top + 39} fontSize={CAPTION_FONT_PX}>
        {shortenMiddle(captionOf(node), CAPTION_CHARS)}
      </text>
      {otherApp && (
        <text className="cdevents-chain__caption" x={TEXT_X} y={top + 56} fontSize={CAPTION_FONT_PX}>
          {shortenEnd(`↗ in ${otherApp}`, CAPTION_CHARS)}
        </text>
      )}
    </>
  );
}

/** Zoom and, when set, the graph point (unzoomed) to bring to the middle of the view once drawn. */
interface View {
  zoom: number;
  centre: Point | null;
}

/**
 * The chain as a layered SVG graph: stage columns left to right, solid edges
 * for links the events state and dashed ones for inferred links. The events of
 * this app are buttons that open the event; another app's events are links to
 * that app's CDEvents view. Opens fitted to the width when the text stays
 * readable, otherwise at a readable zoom scrolled to the start event.
 */
export function ChainGraph({ chain, app, onOpenEvent, baseURI }: ChainGraphProps) {
  const layout = React.useMemo(
    () => layoutChain(chain, { heightOf: (node) => (isInApp(node, app) ? NODE_HEIGHT : OTHER_APP_HEIGHT) }),
    [chain, app],
  );
  const [view, setView] = React.useState<View>({ zoom: 1, centre: null });
  const [viewportWidth, setViewportWidth] = React.useState(0);
  const viewportRef = React.useRef<HTMLDivElement>(null);
  const zoom = view.zoom;
  const base = baseURI ?? document.baseURI;
  const width = Math.max(layout.width, 200);
  const height = layout.height + HEADING_HEIGHT;
  const startNode = layout.nodes.find((placed) => placed.node.key === chain.start);
  // Reading order for the keyboard: column by column, top to bottom.
  const ordered = React.useMemo(() => [...layout.nodes].sort((a, b) => a.rank - b.rank || a.y - b.y), [layout]);

  /** The graph point now in the middle of the view, so a zoom keeps it there. */
  const currentCentre = React.useCallback((): Point | null => {
    const viewport = viewportRef.current;
    if (!viewport || viewport.clientWidth === 0) return null;
    return {
      x: (viewport.scrollLeft + viewport.clientWidth / 2) / zoom,
      y: (viewport.scrollTop + viewport.clientHeight / 2) / zoom,
    };
  }, [zoom]);
  const zoomTo = React.useCallback(
    (next: number) => setView({ zoom: clampZoom(next), centre: currentCentre() }),
    [currentCentre],
  );

  React.useLayoutEffect(() => {
    const measured = viewportRef.current?.clientWidth ?? 0;
    setViewportWidth(measured);
    if (measured === 0) return;
    const initial = chooseInitialZoom(width, measured, CAPTION_FONT_PX);
    setView({
      zoom: initial.zoom,
      centre: startNode ? { x: startNode.x, y: startNode.y + HEADING_HEIGHT } : null,
    });
    // Only a new chain resets the view; zooming is the reader's from then on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout]);

  React.useLayoutEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport || !view.centre) return;
    viewport.scrollLeft = Math.max(0, view.centre.x * view.zoom - viewport.clientWidth / 2);
    viewport.scrollTop = Math.max(0, view.centre.y * view.zoom - viewport.clientHeight / 2);
  }, [view]);

  React.useEffect(() => {
    const onResize = () => setViewportWidth(viewportRef.current?.clientWidth ?? 0);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // Ctrl/⌘ + wheel zooms. React may attach wheel listeners as passive, so this one is native to be able to cancel the page zoom.
  const zoomRef = React.useRef(zoomTo);
  zoomRef.current = zoomTo;
  const zoomValue = React.useRef(zoom);
  zoomValue.current = zoom;
  React.useEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport) return undefined;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      zoomRef.current(zoomValue.current * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
    };
    viewport.addEventListener('wheel', onWheel, { passive: false });
    return () => viewport.removeEventListener('wheel', onWheel);
  }, []);

  const onKey = (key: string) => (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpenEvent(key);
    }
  };
  const overflows = viewportWidth > 0 && width * zoom > viewportWidth + 1;
  return (
    <div className="cdevents-chain">
      <div className="cdevents-chain__toolbar" role="toolbar" aria-label="Zoom">
        <button
          type="button"
          className="argo-button argo-button--base-o"
          aria-label="Zoom out"
          disabled={zoom <= clampZoom(0)}
          onClick={() => zoomTo(zoom / ZOOM_STEP)}
        >
          <i className="fa fa-search-minus" aria-hidden="true" />
        </button>
        <span className="cdevents-chain__zoom" aria-live="polite">
          {Math.round(zoom * 100)}%
        </span>
        <button
          type="button"
          className="argo-button argo-button--base-o"
          aria-label="Zoom in"
          disabled={zoom >= clampZoom(Infinity)}
          onClick={() => zoomTo(zoom * ZOOM_STEP)}
        >
          <i className="fa fa-search-plus" aria-hidden="true" />
        </button>
        <button
          type="button"
          className="argo-button argo-button--base-o"
          aria-label="Fit the whole chain in view"
          title="Fit the whole chain in view"
          disabled={viewportWidth === 0}
          onClick={() =>
            setView({
              zoom: clampZoom((viewportRef.current?.clientWidth ?? viewportWidth) / width),
              centre: startNode ? { x: startNode.x, y: startNode.y + HEADING_HEIGHT } : null,
            })
          }
        >
          <i className="fa fa-compress" aria-hidden="true" /> Fit
        </button>
        <span className="cdevents-chain__legend">
          <span className="cdevents-chain__legend-item">
            <span className="cdevents-chain__legend-line cdevents-chain__legend-line--explicit" aria-hidden="true" />
            stated link
          </span>
          <span className="cdevents-chain__legend-item">
            <span className="cdevents-chain__legend-line cdevents-chain__legend-line--inferred" aria-hidden="true" />
            inferred link
          </span>
        </span>
      </div>
      {overflows && (
        <p className="cdevents-chain__hint" role="note">
          <i className="fa fa-arrows-h" aria-hidden="true" /> The chain is wider than the view: scroll sideways (Shift +
          wheel), or press Fit to see all of it.
        </p>
      )}
      <div className="cdevents-chain__viewport" ref={viewportRef}>
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
          {layout.columns.map((column, index) => (
            <g key={column.stage}>
              {index % 2 === 0 && (
                <rect
                  className="cdevents-chain__band"
                  x={column.x0 - 8}
                  y={0}
                  width={column.x1 - column.x0 + 16}
                  height={height}
                />
              )}
              <text className="cdevents-chain__column" x={(column.x0 + column.x1) / 2} y={16} textAnchor="middle">
                {column.stage}
              </text>
            </g>
          ))}
          <g transform={`translate(0 ${HEADING_HEIGHT})`}>
            {layout.edges.map(({ edge, points }) => (
              <path
                key={`${edge.from}-${edge.to}`}
                className={`cdevents-chain__edge cdevents-chain__edge--${edge.kind}`}
                data-edge-kind={edge.kind}
                data-edge-from={edge.from}
                data-edge-to={edge.to}
                d={buildEdgePath(points)}
                markerEnd="url(#cdevents-chain-arrow)"
              >
                <title>
                  {edge.kind === 'explicit' ? 'stated' : 'inferred'}: {edge.linkKind ?? edge.reason}
                  {edge.value ? ` ${edge.value}` : ''}
                </title>
              </path>
            ))}
            {ordered.map((placed) => {
              const { node } = placed;
              const isStart = node.key === chain.start;
              const className = `cdevents-chain__node cdevents-chain__node--${node.stage}`;
              const transform = `translate(${placed.x} ${placed.y})`;
              if (isInApp(node, app)) {
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
                    <NodeBody placed={placed} isStart={isStart} />
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
                    <NodeBody placed={placed} isStart={isStart} otherApp={other.name} />
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
