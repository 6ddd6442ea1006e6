import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import type { ChainEdge, ChainNode, ChainResponse, ChainStage } from '../../src/backend/api/contract';
import { ApiContext } from '../../src/ui/api/ApiContext';
import type { CDEventsApi } from '../../src/ui/api/types';
import { ChainGraph } from '../../src/ui/components/chain/ChainGraph';
import { ChainPanel } from '../../src/ui/components/chain/ChainPanel';
import { layoutChain } from '../../src/ui/components/chain/layoutChain';

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

  it('says when an event has no chain', async () => {
    render(
      <ApiContext.Provider value={apiAnswering({ ...chain, nodes: [chain.nodes[2]!], edges: [] })}>
        <ChainPanel app={auth} eventKey="rollback" onOpenEvent={() => {}} onClose={() => {}} />
      </ApiContext.Provider>,
    );
    expect(await screen.findByText('No other event is linked to this one yet.')).toBeInTheDocument();
  });
});
