import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import type { ChainEdge, ChainNode, ChainResponse, ChainStage } from '../../src/backend/api/contract';
import { ApiContext } from '../../src/ui/api/ApiContext';
import type { CDEventsApi } from '../../src/ui/api/types';
import { ChainGraph } from '../../src/ui/components/chain/ChainGraph';
import { ChainPanel } from '../../src/ui/components/chain/ChainPanel';
import { chooseInitialZoom, MIN_READABLE_PX } from '../../src/ui/components/chain/chooseInitialZoom';
import {
  buildEdgePath,
  CAPTION_FONT_PX,
  layoutChain,
  NODE_WIDTH,
  type ChainLayout,
} from '../../src/ui/components/chain/layoutChain';

// dagre clones its working graphs with structuredClone, which browsers and Node have but jsdom lacks.
// What it clones is plain data, so a JSON round trip stands in for it here.
if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
}

const auth = { namespace: 'argocd', name: 'auth', project: 'default' };
const base = 'https://argocd.example.com/argo/';

function node(key: string, stage: ChainStage, minutes: number, app = 'auth', subject: string = stage): ChainNode {
  return {
    key,
    source: 'src',
    id: key,
    type: null,
    subject,
    predicate: 'happened',
    subjectId: `${key}-subject`,
    timestamp: new Date(Date.UTC(2026, 2, 2, 10, minutes)).toISOString(),
    direction: 'received',
    verdict: 'valid',
    stage,
    depth: 1,
    apps: [{ instance: 'main', namespace: 'argocd', name: app, rule: 'artifact' }],
  };
}
const edge = (from: string, to: string, kind: ChainEdge['kind']): ChainEdge => ({
  from,
  to,
  kind,
  reason: kind === 'explicit' ? 'path' : 'artifact',
});

/*
 * change ─▶ build ─▶ artifact ┄▶ deploy ┄▶ test (portal) ┄▶ incident ─▶ rollback
 * given in scrambled order and with one edge pointing backwards in stage order
 */
const chain: ChainResponse = {
  start: 'rollback',
  depth: 6,
  limit: 200,
  nodes: [
    node('incident', 'incident', 25),
    node('change', 'change', 0),
    node('rollback', 'rollback', 30),
    node('deploy', 'deploy', 8),
    node('build', 'build', 5),
    node('test', 'test', 20, 'portal', 'testsuiterun'),
    node('artifact', 'artifact', 6),
  ],
  edges: [
    edge('change', 'build', 'explicit'),
    edge('build', 'artifact', 'explicit'),
    edge('artifact', 'deploy', 'inferred'),
    edge('deploy', 'test', 'inferred'),
    edge('test', 'incident', 'inferred'),
    edge('rollback', 'incident', 'explicit'),
  ],
  truncated: { depth: false, nodes: false },
};

function xOf(key: string, container: HTMLElement): number {
  const element = container.querySelector(`[data-event-key="${key}"]`)!;
  const g = element.tagName.toLowerCase() === 'a' ? element.querySelector('g')! : element;
  return Number(/translate\(([-\d.]+)/.exec(g.getAttribute('transform')!)![1]);
}

describe('the chain view', () => {
  it('lays the stages out left to right: change, build, artifact, deploy, test, incident, rollback', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const xs = ['change', 'build', 'artifact', 'deploy', 'test', 'incident', 'rollback'].map((k) => xOf(k, container));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(7);
  });

  it('draws stated links solid and inferred links dashed', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    expect(container.querySelectorAll('.cdevents-chain__edge--explicit')).toHaveLength(3);
    expect(container.querySelectorAll('.cdevents-chain__edge--inferred')).toHaveLength(3);
  });

  it('colours each node by its stage', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    expect(container.querySelector('[data-event-key="incident"]')).toHaveClass('cdevents-chain__node--incident');
  });

  it('opens an event of this app on click and on Enter', () => {
    const opened: string[] = [];
    render(<ChainGraph chain={chain} app={auth} onOpenEvent={(key) => opened.push(key)} baseURI={base} />);
    const build = screen.getByRole('button', { name: /^build happened/ });
    fireEvent.click(build);
    build.focus();
    fireEvent.keyDown(build, { key: 'Enter' });
    expect(opened).toEqual(['build', 'build']);
    expect(build).toHaveAttribute('tabindex', '0');
  });

  it("links another app's event to that app's CDEvents view with the event open", () => {
    render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const link = screen.getByRole('link', { name: /testsuiterun happened.*in argocd\/portal/ });
    expect(link).toHaveAttribute('href', `${base}applications/argocd/portal?view=CDEvents&cde_event=test`);
  });

  it('keeps 200 events readable: all drawn, each reachable by keyboard, at full size with zoom to overview', () => {
    const stages: ChainStage[] = ['change', 'build', 'artifact', 'deploy', 'test', 'incident', 'rollback'];
    const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`, stages[i % 7]!, i));
    const edges = nodes
      .slice(1)
      .map((n, i) => edge(nodes[Math.floor(i / 2)]!.key, n.key, i % 3 ? 'inferred' : 'explicit'));
    const big = { ...chain, start: 'n0', nodes, edges };
    const { container } = render(<ChainGraph chain={big} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    expect(screen.getAllByRole('button', { name: /happened/ })).toHaveLength(200);
    const svg = container.querySelector('svg')!;
    const { width } = layoutChain(big);
    expect(Number(svg.getAttribute('width'))).toBeCloseTo(width);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(Number(svg.getAttribute('width'))).toBeLessThan(width);
  }, 30_000);
});

/** 200 events over the seven stages, each caused by an earlier one: a wide, branching chain. */
function buildBigChain(): ChainResponse {
  const stages: ChainStage[] = ['change', 'build', 'artifact', 'deploy', 'test', 'incident', 'rollback'];
  const nodes = Array.from({ length: 200 }, (_, i) => node(`n${i}`, stages[i % 7]!, i));
  const edges = nodes
    .slice(1)
    .map((n, i) => edge(nodes[Math.floor(i / 2)]!.key, n.key, i % 3 ? 'inferred' : 'explicit'));
  return { ...chain, start: 'n0', nodes, edges };
}

/** Every coordinate pair of an SVG path's M and C commands. */
function pointsOfPath(d: string): Array<{ x: number; y: number }> {
  const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return Array.from({ length: numbers.length / 2 }, (_, i) => ({ x: numbers[2 * i]!, y: numbers[2 * i + 1]! }));
}

function edgePathsOf(container: HTMLElement, layout: ChainLayout) {
  const xOfKey = new Map(layout.nodes.map((placed) => [placed.node.key, placed.x]));
  return [...container.querySelectorAll('path[data-edge-from]')].map((path) => ({
    from: xOfKey.get(path.getAttribute('data-edge-from')!)!,
    to: xOfKey.get(path.getAttribute('data-edge-to')!)!,
    points: pointsOfPath(path.getAttribute('d')!),
  }));
}

describe('the chain view keeps edges short', () => {
  it.each([
    { name: 'the seven-stage chain with a backward link', given: chain },
    { name: '200 branching events', given: buildBigChain() },
  ])(
    'draws every edge of $name between its two events, never through other columns and back',
    ({ given }) => {
      const { container } = render(<ChainGraph chain={given} app={auth} onOpenEvent={() => {}} baseURI={base} />);
      const layout = layoutChain(given);
      const edges = edgePathsOf(container, layout);
      expect(edges).toHaveLength(given.edges.length);
      for (const { from, to, points } of edges) {
        const left = Math.min(from, to) - NODE_WIDTH / 2;
        const right = Math.max(from, to) + NODE_WIDTH / 2;
        for (const p of points) {
          expect(p.x).toBeGreaterThanOrEqual(left);
          expect(p.x).toBeLessThanOrEqual(right);
          expect(p.y).toBeGreaterThanOrEqual(0);
          expect(p.y).toBeLessThanOrEqual(layout.height);
        }
        // x only ever moves one way: from the causing event towards the caused one.
        const direction = Math.sign(to - from);
        points.slice(1).forEach((p, i) => expect(Math.sign(p.x - points[i]!.x) * direction).toBeGreaterThanOrEqual(0));
      }
    },
    30_000,
  );

  it.each([
    { name: 'the seven-stage chain', given: chain },
    { name: '200 branching events', given: buildBigChain() },
  ])(
    'runs each edge of $name between neighbouring columns straight across, never above or below both its ends',
    ({ given }) => {
      const layout = layoutChain(given);
      const rankOf = new Map(layout.nodes.map((placed) => [placed.node.key, placed.rank]));
      const neighbours = layout.edges.filter(({ edge: e }) => Math.abs(rankOf.get(e.from)! - rankOf.get(e.to)!) === 1);
      expect(neighbours.length).toBeGreaterThan(0);
      for (const { points } of neighbours) {
        const path = pointsOfPath(buildEdgePath(points));
        const [top, bottom] = [Math.min(points[0]!.y, points.at(-1)!.y), Math.max(points[0]!.y, points.at(-1)!.y)];
        for (const p of path) {
          expect(p.y).toBeGreaterThanOrEqual(top);
          expect(p.y).toBeLessThanOrEqual(bottom);
        }
      }
    },
  );

  it('draws a chain without branches as one straight row', () => {
    const row = {
      ...chain,
      edges: chain.edges.filter((e) => e.from !== 'rollback').concat(edge('incident', 'rollback', 'explicit')),
    };
    const layout = layoutChain(row);
    expect(new Set(layout.nodes.map((placed) => placed.y)).size).toBe(1);
    for (const { points } of layout.edges) expect(new Set(points.map((p) => p.y)).size).toBe(1);
  });
});

describe('the zoom a chain opens at', () => {
  it.each([
    { graph: 800, viewport: 1000, zoom: 1, fits: true, why: 'a narrow chain at 100 %' },
    { graph: 1050, viewport: 1000, zoom: 0.95, fits: true, why: 'a chain a little wider than the view, shrunk to fit' },
    { graph: 3000, viewport: 1000, zoom: 0.92, fits: false, why: 'a wide chain at the smallest readable zoom' },
    { graph: 3000, viewport: 0, zoom: 1, fits: false, why: 'an unmeasured view at 100 %' },
  ])('opens $why', ({ graph, viewport, zoom, fits }) => {
    expect(chooseInitialZoom(graph, viewport, CAPTION_FONT_PX)).toEqual({ zoom, fits });
    expect(zoom * CAPTION_FONT_PX).toBeGreaterThanOrEqual(MIN_READABLE_PX);
  });

  describe('in a view 1000 px wide', () => {
    beforeAll(() => {
      Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
        configurable: true,
        get(this: HTMLElement) {
          return this.classList.contains('cdevents-chain__viewport') ? 1000 : 0;
        },
      });
    });
    // jsdom has no layout: its clientWidth (on Element.prototype) is always 0, and shows through again after this.
    afterAll(() => Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth'));

    it('opens a chain too wide to read when fitted at a readable zoom, and says the view scrolls', () => {
      render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
      expect(screen.getByText('92%')).toBeInTheDocument();
      expect(screen.getByRole('note')).toHaveTextContent(/wider than the view: scroll sideways/);
    });

    it('fits the whole chain in view on Fit, and then no longer says it scrolls', () => {
      const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
      fireEvent.click(screen.getByRole('button', { name: 'Fit the whole chain in view' }));
      expect(Number(container.querySelector('svg')!.getAttribute('width'))).toBeCloseTo(1000);
      expect(screen.queryByRole('note')).toBeNull();
    });

    it('opens a chain that fits without the hint', () => {
      const short = { ...chain, nodes: chain.nodes.slice(0, 2), edges: [edge('incident', 'change', 'inferred')] };
      render(<ChainGraph chain={short} app={auth} onOpenEvent={() => {}} baseURI={base} />);
      expect(screen.getByText('100%')).toBeInTheDocument();
      expect(screen.queryByRole('note')).toBeNull();
    });
  });
});

describe('zooming the chain', () => {
  it('zooms with Ctrl or ⌘ and the wheel, and leaves a plain wheel to scrolling', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const viewport = container.querySelector('.cdevents-chain__viewport')!;
    expect(fireEvent.wheel(viewport, { deltaY: -100 })).toBe(true);
    expect(screen.getByText('100%')).toBeInTheDocument();
    expect(fireEvent.wheel(viewport, { deltaY: -100, ctrlKey: true })).toBe(false);
    expect(screen.getByText('110%')).toBeInTheDocument();
    fireEvent.wheel(viewport, { deltaY: 100, metaKey: true });
    expect(screen.getByText('100%')).toBeInTheDocument();
  });
});

describe('the chain legend and nodes', () => {
  it('shows a solid line beside "stated link" and a dashed one beside "inferred link"', () => {
    render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const stated = screen.getByText('stated link');
    const inferred = screen.getByText('inferred link');
    expect(stated.querySelector('.cdevents-chain__legend-line')).toHaveClass('cdevents-chain__legend-line--explicit');
    expect(inferred.querySelector('.cdevents-chain__legend-line')).toHaveClass('cdevents-chain__legend-line--inferred');
  });

  it('labels a node with subject and predicate above its subject id, shortened with the whole id in its tooltip', () => {
    const long = 'pkg:oci/auth@sha256%3A34e6ca7f8e48397209daa1be0456d0a92a6454fccc7af70a8519926bcb6caa0e?tag=1.14.0';
    const withLongId = {
      ...chain,
      nodes: chain.nodes.map((n) => (n.key === 'artifact' ? { ...n, subjectId: long } : n)),
    };
    const { container } = render(<ChainGraph chain={withLongId} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const artifact = container.querySelector('[data-event-key="artifact"]')!;
    const [label, caption] = [...artifact.querySelectorAll('text')].map((t) => t.textContent);
    expect(label).toBe('artifact happened');
    expect(caption).toMatch(/^pkg:oci\/auth@sha.*….*tag=1\.14\.0$/);
    expect(caption!.length).toBeLessThan(long.length);
    expect(artifact.querySelector('title')).toHaveTextContent(long);
  });

  it('marks the event the chain starts from', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    expect(container.querySelectorAll('.cdevents-chain__box--start')).toHaveLength(1);
    expect(container.querySelector('[data-event-key="rollback"] .cdevents-chain__box')).toHaveClass(
      'cdevents-chain__box--start',
    );
  });

  it('takes the keyboard through the nodes column by column, left to right', () => {
    const { container } = render(<ChainGraph chain={chain} app={auth} onOpenEvent={() => {}} baseURI={base} />);
    const inTabOrder = [...container.querySelectorAll('[data-event-key]')].map((el) =>
      el.getAttribute('data-event-key'),
    );
    expect(inTabOrder).toEqual(['change', 'build', 'artifact', 'deploy', 'test', 'incident', 'rollback']);
  });
});

describe('the chain panel', () => {
  function apiAnswering(value: ChainResponse): CDEventsApi {
    const never = () => new Promise<never>(() => {});
    return {
      listEvents: never,
      getEvent: never,
      getDeliveries: never,
      getChain: async () => ({ ok: true, value }),
    };
  }

  it('says when the chain was cut at the node limit', async () => {
    render(
      <ApiContext.Provider value={apiAnswering({ ...chain, truncated: { depth: false, nodes: true } })}>
        <ChainPanel app={auth} eventKey="rollback" onOpenEvent={() => {}} onClose={() => {}} />
      </ApiContext.Provider>,
    );
    expect(await screen.findByText(/Showing the 7 events closest to this one; the chain has more/)).toBeInTheDocument();
  });

  it('says when the chain reaches past the retention horizon, and how many earlier links are not kept', async () => {
    const horizon = { retentionDays: 90, before: '2026-03-03T00:00:00.000Z', cut: true, missingLinks: 2 };
    render(
      <ApiContext.Provider value={apiAnswering({ ...chain, horizon })}>
        <ChainPanel app={auth} eventKey="rollback" onOpenEvent={() => {}} onClose={() => {}} />
      </ApiContext.Provider>,
    );
    expect(
      await screen.findByText('This chain reaches past the 90-day horizon: 2 earlier links are not kept.'),
    ).toBeInTheDocument();
  });

  it('says nothing about the horizon when the chain was not cut there, or the backend is older', async () => {
    const horizon = { retentionDays: 90, before: '2026-03-03T00:00:00.000Z', cut: false, missingLinks: 0 };
    for (const answer of [{ ...chain, horizon }, chain]) {
      const { unmount } = render(
        <ApiContext.Provider value={apiAnswering(answer)}>
          <ChainPanel app={auth} eventKey="rollback" onOpenEvent={() => {}} onClose={() => {}} />
        </ApiContext.Provider>,
      );
      expect(await screen.findByLabelText('Causal chain')).toBeInTheDocument();
      await screen.findAllByText(/change/);
      expect(screen.queryByText(/horizon/)).toBeNull();
      unmount();
    }
  });

  it('says when an event has no chain', async () => {
    render(
      <ApiContext.Provider value={apiAnswering({ ...chain, nodes: [chain.nodes[2]!], edges: [] })}>
        <ChainPanel app={auth} eventKey="rollback" onOpenEvent={() => {}} onClose={() => {}} />
      </ApiContext.Provider>,
    );
    expect(await screen.findByText('No other event is linked to this one yet.')).toBeInTheDocument();
  });
});
