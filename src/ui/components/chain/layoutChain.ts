/**
 * Lays a chain out left to right with dagre, in stage columns: every change
 * sits left of every build, every build left of every artifact, and so on to
 * rollbacks. The ranks are ours, not dagre's: a stage gets as many ranks as
 * its longest run of linked events (ordered by time), and dagre is told them
 * (`ranker: 'none'`) and only orders each rank to cut crossings and places the
 * nodes. Earlier versions held nodes between invisible stage anchors; the
 * anchors' long edges filled the graph with dummy nodes, and real edges
 * detoured around them. Pure: the same chain always gives the same picture.
 */
import dagre from '@dagrejs/dagre';
import type { ChainEdge, ChainNode, ChainResponse, ChainStage } from '../../../backend/api/contract';

export const STAGE_ORDER: readonly ChainStage[] = [
  'change',
  'build',
  'artifact',
  'deploy',
  'test',
  'incident',
  'rollback',
  'other',
];

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 48;
/** Font sizes of a node's two lines at 100 %; the box is sized for them. */
export const LABEL_FONT_PX = 14;
export const CAPTION_FONT_PX = 12;

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  node: ChainNode;
  /** Centre, as dagre gives it. */
  x: number;
  y: number;
  /** The column (0 = leftmost) the node sits in. */
  rank: number;
  height: number;
}

export interface PlacedEdge {
  edge: ChainEdge;
  /**
   * From the causing event to the caused one: the side of one box, dagre's
   * bend points between the columns, the side of the other box. x only ever
   * moves one way along them.
   */
  points: Point[];
}

export interface ChainLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
  /** Where each stage's column starts and ends, for the column headings. */
  columns: Array<{ stage: ChainStage; x0: number; x1: number }>;
}

function stageIndex(node: ChainNode): number {
  const index = STAGE_ORDER.indexOf(node.stage);
  return index < 0 ? STAGE_ORDER.length - 1 : index;
}

function timeOf(node: ChainNode): number {
  const time = node.timestamp ? Date.parse(node.timestamp) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

function compareNodes(a: ChainNode, b: ChainNode): number {
  return stageIndex(a) - stageIndex(b) || timeOf(a) - timeOf(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

interface LayoutEdge {
  edge: ChainEdge;
  v: string;
  w: string;
  reversed: boolean;
}

/** Each node's column: its stage's first column plus its place in the longest run of linked events within the stage. */
function assignRanks(nodes: ChainNode[], edges: LayoutEdge[], byKey: Map<string, ChainNode>): Map<string, number> {
  const sorted = [...nodes].sort(compareNodes);
  const layer = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const { v, w } of edges) {
    if (stageIndex(byKey.get(v)!) === stageIndex(byKey.get(w)!)) incoming.set(w, [...(incoming.get(w) ?? []), v]);
  }
  // Sorted by time within a stage, so every predecessor has its layer before it is needed.
  for (const node of sorted) {
    const before = incoming.get(node.key) ?? [];
    layer.set(node.key, before.length === 0 ? 0 : Math.max(...before.map((v) => layer.get(v)! + 1)));
  }
  const depth = STAGE_ORDER.map(() => 0);
  for (const node of nodes) {
    const stage = stageIndex(node);
    depth[stage] = Math.max(depth[stage]!, layer.get(node.key)! + 1);
  }
  const first: number[] = [];
  depth.reduce((offset, d, i) => {
    first[i] = offset;
    return offset + d;
  }, 0);
  return new Map(nodes.map((node) => [node.key, first[stageIndex(node)]! + layer.get(node.key)!]));
}

export interface LayoutOptions {
  /** A node's box height; NODE_HEIGHT unless a node has more lines to show. */
  heightOf?: (node: ChainNode) => number;
}

export function layoutChain(
  chain: Pick<ChainResponse, 'nodes' | 'edges'>,
  { heightOf = () => NODE_HEIGHT }: LayoutOptions = {},
): ChainLayout {
  const byKey = new Map(chain.nodes.map((node) => [node.key, node]));
  // Layout edges always run forward in (stage, time); drawn edges keep their own direction.
  const layoutEdges: LayoutEdge[] = [];
  const seen = new Set<string>();
  for (const edge of chain.edges) {
    const from = byKey.get(edge.from);
    const to = byKey.get(edge.to);
    if (!from || !to || from === to) continue;
    const reversed = compareNodes(from, to) > 0;
    const [v, w] = reversed ? [to.key, from.key] : [from.key, to.key];
    const id = `${v}\u0000${w}`;
    if (seen.has(id)) continue;
    seen.add(id);
    layoutEdges.push({ edge, v, w, reversed });
  }
  const ranks = assignRanks(chain.nodes, layoutEdges, byKey);
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', ranker: 'none', nodesep: 16, ranksep: 64, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  // dagre halves ranksep to leave a rank for edge labels between columns; doubled ranks keep that rank free for bends.
  for (const node of chain.nodes) {
    graph.setNode(node.key, { width: NODE_WIDTH, height: heightOf(node), rank: 2 * ranks.get(node.key)! });
  }
  for (const { edge, v, w } of layoutEdges) {
    graph.setEdge(v, w, { weight: edge.kind === 'explicit' ? 2 : 1 });
  }
  dagre.layout(graph);
  const placed = new Map<string, PlacedNode>();
  const nodes = chain.nodes.map((node) => {
    const at = graph.node(node.key);
    const result = { node, x: at.x, y: at.y, rank: ranks.get(node.key)!, height: heightOf(node) };
    placed.set(node.key, result);
    return result;
  });
  const edges = layoutEdges.map(({ edge, v, w, reversed }) => {
    const source = placed.get(v)!;
    const target = placed.get(w)!;
    // dagre's first and last points meet the boxes wherever the line hits them; ours leave and enter at the sides.
    // Between neighbouring columns nothing stands in the way, so the curve goes straight across; a longer edge keeps
    // dagre's bends, which pass the columns between in the gaps dagre left for them.
    const bends =
      target.rank - source.rank === 1
        ? []
        : ((graph.edge(v, w).points ?? []) as Point[]).slice(1, -1).map((p) => ({ x: p.x, y: p.y }));
    const points = [
      { x: source.x + NODE_WIDTH / 2, y: source.y },
      ...bends.filter((p) => p.x > source.x + NODE_WIDTH / 2 && p.x < target.x - NODE_WIDTH / 2),
      { x: target.x - NODE_WIDTH / 2, y: target.y },
    ];
    return { edge, points: reversed ? points.reverse() : points };
  });
  const columns = STAGE_ORDER.map((stage, index) => {
    const xs = nodes.filter((n) => stageIndex(n.node) === index).map((n) => n.x);
    return xs.length === 0
      ? undefined
      : { stage, x0: Math.min(...xs) - NODE_WIDTH / 2, x1: Math.max(...xs) + NODE_WIDTH / 2 };
  }).filter((c): c is { stage: ChainStage; x0: number; x1: number } => c !== undefined);
  const label = graph.graph();
  return { nodes, edges, width: label.width ?? 0, height: label.height ?? 0, columns };
}

/**
 * An SVG path through the points as a smooth curve: each step is a cubic whose
 * handles lie level with its ends, so the curve leaves and enters boxes
 * horizontally and never leaves the box spanned by two consecutive points.
 */
export function buildEdgePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const format = (p: Point) => `${p.x.toFixed(1)} ${p.y.toFixed(1)}`;
  let d = `M ${format(points[0]!)}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const mid = (a.x + b.x) / 2;
    d += ` C ${format({ x: mid, y: a.y })} ${format({ x: mid, y: b.y })} ${format(b)}`;
  }
  return d;
}
