/**
 * Lays a chain out left to right with dagre, in stage columns: every change
 * sits left of every build, every build left of every artifact, and so on to
 * rollbacks. dagre has no fixed ranks, so each stage boundary gets an
 * invisible anchor and every node is held between its stage's anchor and the
 * next one's; edges within a stage widen the band instead of breaking the
 * order. (minlen 0 would save the anchors' ranks, but dagre cannot route edges
 * between nodes of one rank.) Pure: the same chain always gives the same picture.
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

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;

export interface PlacedNode {
  node: ChainNode;
  /** Centre, as dagre gives it. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: ChainEdge;
  /** From the causing event to the caused one. */
  points: Array<{ x: number; y: number }>;
}

export interface ChainLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
  /** Where each stage's column starts and ends, for the column headings. */
  columns: Array<{ stage: ChainStage; x0: number; x1: number }>;
}

const anchorId = (index: number) => `\u0000anchor-${index}`;

function stageIndex(node: ChainNode): number {
  const index = STAGE_ORDER.indexOf(node.stage);
  return index < 0 ? STAGE_ORDER.length - 1 : index;
}

function timeOf(node: ChainNode): number {
  const time = node.timestamp ? Date.parse(node.timestamp) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

export function layoutChain(chain: Pick<ChainResponse, 'nodes' | 'edges'>): ChainLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const byKey = new Map(chain.nodes.map((node) => [node.key, node]));
  const used = new Set(chain.nodes.map(stageIndex));
  for (let i = 0; i <= STAGE_ORDER.length; i++) graph.setNode(anchorId(i), { width: 1, height: 1 });
  for (let i = 0; i < STAGE_ORDER.length; i++) {
    graph.setEdge(anchorId(i), anchorId(i + 1), { minlen: used.has(i) ? 2 : 1, weight: 0 });
  }
  for (const node of chain.nodes) {
    const stage = stageIndex(node);
    graph.setNode(node.key, { width: NODE_WIDTH, height: NODE_HEIGHT });
    graph.setEdge(anchorId(stage), node.key, { minlen: 1, weight: 0 });
    graph.setEdge(node.key, anchorId(stage + 1), { minlen: 1, weight: 0 });
  }
  // Layout edges always run forward in (stage, time), so they never fight the anchors.
  const order = (node: ChainNode) => [stageIndex(node), timeOf(node), node.key] as const;
  const isForward = (a: ChainNode, b: ChainNode) => {
    const [sa, ta, ka] = order(a);
    const [sb, tb, kb] = order(b);
    return sa !== sb ? sa < sb : ta !== tb ? ta < tb : ka < kb;
  };
  const layoutEdges: Array<{ edge: ChainEdge; v: string; w: string; reversed: boolean }> = [];
  for (const edge of chain.edges) {
    const from = byKey.get(edge.from);
    const to = byKey.get(edge.to);
    if (!from || !to || from === to) continue;
    const reversed = !isForward(from, to);
    const [v, w] = reversed ? [to.key, from.key] : [from.key, to.key];
    if (graph.hasEdge(v, w)) continue;
    graph.setEdge(v, w, { minlen: 1, weight: edge.kind === 'explicit' ? 2 : 1 });
    layoutEdges.push({ edge, v, w, reversed });
  }
  dagre.layout(graph);
  const nodes = chain.nodes.map((node) => {
    const placed = graph.node(node.key);
    return { node, x: placed.x, y: placed.y };
  });
  const edges = layoutEdges.map(({ edge, v, w, reversed }) => {
    const points = (graph.edge(v, w).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
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
