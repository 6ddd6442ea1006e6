/**
 * The Argo CD API stand-in the trigger tests, the scenarios and `npm start` act on must
 * answer as Argo CD does, or a test passes against behaviour no cluster has:
 * - a sync records status.history with the synced revision and the source as
 *   written (spec.source.targetRevision is never rewritten);
 * - a sync without a revision goes to spec.source.targetRevision, resolved;
 * - a rollback syncs to a history entry's revision and source;
 * - the notifications controller posts the new state after the API call answered.
 */
import { type RevisionHistory, classifySync, splitHistoryAt } from '../../src/backend/argocd';
import { startArgocdApiStandIn } from '../helpers/argocdApiStandIn';
import { type ApiStandIn, type ClusterObject, createClusterState } from '../helpers/kubernetesApiStandIn';

const token = 'argocd-token-stand-in';
const REV_A = 'a'.repeat(40);
const REV_B = 'b'.repeat(40);
const REV_C = 'c'.repeat(40);
/** As users write it: a branch, which Argo CD resolves to a commit on each reconcile. */
const source = { repoURL: 'https://github.com/acme/auth.git', path: 'deploy', targetRevision: 'main' };
const destination = { server: 'https://kubernetes.default.svc', namespace: 'auth' };

interface AppStatus {
  sync: { status: string; revision: string };
  operationState: { operation: { sync: { revision: string } }; syncResult: { revision: string; source: object } };
  history: Array<RevisionHistory & { id: number }>;
}

function buildAuth(): ClusterObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'auth', namespace: 'argocd', uid: 'uid-auth' },
    spec: { project: 'default', source, destination },
    status: {
      // main resolved to REV_B at the last reconcile, and REV_B is what runs.
      sync: { status: 'Synced', revision: REV_B, comparedTo: { source, destination } },
      health: { status: 'Healthy' },
      history: [
        { id: 0, revision: REV_A, source, deployStartedAt: '2026-03-01T10:00:00Z', deployedAt: '2026-03-01T10:00:05Z' },
        { id: 1, revision: REV_B, source, deployStartedAt: '2026-03-02T10:00:00Z', deployedAt: '2026-03-02T10:00:05Z' },
      ],
    },
  };
}

describe('Argo CD API semantics for sync, sync history and rollback (in-process Argo CD API stand-in)', () => {
  let argocd: ApiStandIn;
  let state: ReturnType<typeof createClusterState>;
  let notified: ClusterObject[];
  /** While set, the notification hangs until released, as a slow notifications controller would. */
  let holdNotification: Promise<void> | undefined;
  let clock: number;

  async function call(path: string, body: object): Promise<{ status: number; app: ClusterObject }> {
    const response = await fetch(`${argocd.url}/api/v1/applications/auth${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appNamespace: 'argocd', ...body }),
    });
    return { status: response.status, app: (await response.json()) as ClusterObject };
  }

  const statusOf = () => state.applications.get('argocd/auth')!.status as AppStatus;

  /** What the backend would call the latest sync, decided from the history as it does for a notification. */
  function classifyLatest(): string {
    const { history, operationState } = statusOf();
    const latest = history[history.length - 1]!;
    const { earlier } = splitHistoryAt(history, latest.deployStartedAt!);
    return classifySync({
      revisions: [operationState.syncResult.revision],
      sources: [operationState.syncResult.source],
      earlier,
      entryId: latest.id,
    }).predicate;
  }

  beforeEach(async () => {
    notified = [];
    holdNotification = undefined;
    clock = Date.parse('2026-03-03T10:00:00Z');
    state = createClusterState({ applications: [buildAuth()] });
    argocd = await startArgocdApiStandIn({
      state,
      token,
      now: () => new Date((clock += 60_000)),
      onApplicationChanged: async (app) => {
        await holdNotification;
        notified.push(app);
      },
    });
  });
  afterEach(async () => {
    await argocd?.close();
  });

  it('records a sync to a revision in status.history with that revision and the source as written, leaving the spec alone', async () => {
    const { status } = await call('/sync', { revision: REV_C, prune: false, dryRun: false });
    expect(status).toBe(200);
    const app = state.applications.get('argocd/auth')!;
    expect((app.spec as { source: object }).source).toEqual(source);
    expect(statusOf().history.at(-1)).toMatchObject({ id: 2, revision: REV_C, source });
    expect(statusOf().operationState.syncResult).toEqual({ revision: REV_C, source });
    // Argo CD compares with the spec again afterwards: main still resolves to REV_B.
    expect(statusOf().sync).toMatchObject({ status: 'OutOfSync', revision: REV_B });
    expect(classifyLatest()).toBe('upgraded');
  });

  it('syncs to spec.source.targetRevision, resolved, when the sync names no revision, not to the last synced revision', async () => {
    await call('/sync', { revision: REV_C, prune: false, dryRun: false });
    await call('/sync', { prune: false, dryRun: false });
    expect(statusOf().operationState.operation.sync.revision).toBe(REV_B);
    expect(statusOf().history.at(-1)).toMatchObject({ id: 3, revision: REV_B, source });
    expect(statusOf().sync).toMatchObject({ status: 'Synced', revision: REV_B });
  });

  it('syncs to the targetRevision as written once the spec names another one', async () => {
    const app = state.applications.get('argocd/auth')!;
    (app.spec as { source: object }).source = { ...source, targetRevision: 'v2.0.0' };
    await call('/sync', { prune: false, dryRun: false });
    expect(statusOf().history.at(-1)).toMatchObject({ revision: 'v2.0.0', source: { targetRevision: 'v2.0.0' } });
    expect(statusOf().sync).toMatchObject({ status: 'Synced', revision: 'v2.0.0' });
  });

  it("rolls back to a history entry's revision and source, so the backend sees a rollback, not an upgrade", async () => {
    const { status } = await call('/rollback', { id: 0, prune: false, dryRun: false });
    expect(status).toBe(200);
    const latest = statusOf().history.at(-1)!;
    expect({ revision: latest.revision, source: latest.source }).toEqual({ revision: REV_A, source });
    expect((state.applications.get('argocd/auth')!.spec as { source: object }).source).toEqual(source);
    expect(statusOf().sync).toMatchObject({ status: 'OutOfSync', revision: REV_B });
    expect(classifyLatest()).toBe('rolledback');
  });

  it('answers a rollback to a history id the app does not have with 404 (code 5) naming the id', async () => {
    const response = await fetch(`${argocd.url}/api/v1/applications/auth/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ appNamespace: 'argocd', id: 7 }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 5, message: expect.stringContaining('id 7') });
  });

  it.each([
    ['rollback', '/rollback', { id: 0 }, REV_A],
    ['sync', '/sync', { revision: REV_C }, REV_C],
  ])('answers a %s before the notifications controller posts the new state', async (_what, path, body, revision) => {
    let release!: () => void;
    holdNotification = new Promise((resolve) => (release = resolve));
    const { status, app } = await call(path, body);
    expect(status).toBe(200);
    expect(notified).toEqual([]);
    release();
    for (let turn = 0; turn < 100 && notified.length === 0; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(notified).toHaveLength(1);
    expect((notified[0]!.status as AppStatus).operationState.syncResult.revision).toBe(revision);
    expect(notified[0]!.metadata.resourceVersion).toBe(app.metadata.resourceVersion);
  });
});
