/**
 * Events of the spec's next release (0.6 draft on the spec's main branch),
 * written here in its shape: types this backend does not know yet
 * (approval.created, approval.closed) and `domainId` links, which name a
 * resource in a system that emits no CDEvents. On the real app, on PGlite and
 * on the real PostgreSQL: they are stored as unknown-type, not dropped, and the
 * chain follows their links.
 */
import type { ChainResponse, IngestItemResult } from '../../src/backend/api/contract';
import { postEvents, proxyHeaders, startBackend, storeKinds, type TestBackend } from '../helpers/backend';

jest.setTimeout(60_000);

const pullRequest = 'cdevents:v0:github::acme:auth:pr:42';
const forAuth = { argocd: { application: { name: 'auth', namespace: 'argocd' } } };

const pipelineRun = {
  context: {
    specversion: '0.5.1',
    id: 'run-7-finished',
    source: '/ci/auth',
    type: 'dev.cdevents.pipelinerun.finished.0.3.0',
    timestamp: '2026-03-20T14:00:00Z',
  },
  subject: { id: 'run-7', content: { pipelineName: 'release', outcome: 'success' } },
  customData: forAuth,
};

const approvalCreated = {
  context: {
    specversion: '0.6.0-draft',
    id: 'approval-9-created',
    source: '/approvals',
    type: 'dev.cdevents.approval.created.0.1.0',
    timestamp: '2026-03-20T14:05:00Z',
    links: [
      { linkType: 'PATH', from: { contextId: 'run-7-finished' } },
      { linkType: 'RELATION', linkKind: 'TRIGGER', target: { domainId: pullRequest } },
    ],
  },
  subject: { id: 'approval-9', content: { requestor: 'urn:user:alice' } },
  customData: forAuth,
};

const approvalClosed = {
  context: {
    specversion: '0.6.0-draft',
    id: 'approval-9-closed',
    source: '/approvals',
    type: 'dev.cdevents.approval.closed.0.1.0',
    timestamp: '2026-03-20T16:00:00Z',
    links: [{ linkType: 'RELATION', linkKind: 'REFERENCE', target: { domainId: pullRequest } }],
  },
  subject: { id: 'approval-9', content: { approver: 'urn:user:bob' } },
  customData: forAuth,
};

describe.each(storeKinds)('spec 0.6 draft events on %s', (kind) => {
  let backend: TestBackend;
  let results: IngestItemResult[];
  beforeAll(async () => {
    backend = await startBackend({ store: kind });
    const response = await postEvents(backend.url, [pipelineRun, approvalCreated, approvalClosed]);
    expect(response.status).toBe(200);
    results = (response.body as { results: IngestItemResult[] }).results;
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('stores events of types not known yet as unknown-type, saying which type', () => {
    expect(results.map((result) => [result.id, result.status, result.verdict])).toEqual([
      ['run-7-finished', 'stored', 'valid'],
      ['approval-9-created', 'stored', 'unknown-type'],
      ['approval-9-closed', 'stored', 'unknown-type'],
    ]);
    expect(results[1]!.problems).toEqual([
      expect.objectContaining({
        pointer: '/context/type',
        message: expect.stringContaining('dev.cdevents.approval.created.0.1.0'),
      }),
    ]);
  });

  it('follows their contextId and domainId links in the chain', async () => {
    const response = await fetch(`${backend.url}/api/v1/events/${results[2]!.key}/chain`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'auth' }),
    });
    expect(response.status).toBe(200);
    const chain = (await response.json()) as ChainResponse;
    const keyOf = (index: number) => results[index]!.key!;
    expect(chain.nodes.map((node) => node.id).sort()).toEqual(
      ['approval-9-closed', 'approval-9-created', 'run-7-finished'].sort(),
    );
    expect(chain.edges).toContainEqual(
      expect.objectContaining({
        from: keyOf(1),
        to: keyOf(2),
        kind: 'explicit',
        reason: 'domain-id',
        value: pullRequest,
      }),
    );
    expect(chain.edges).toContainEqual(
      expect.objectContaining({ from: keyOf(0), to: keyOf(1), kind: 'explicit', reason: 'path' }),
    );
  });
});
