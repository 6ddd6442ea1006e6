/**
 * Use case 1 of the talk, "many Argo CD instances, one event stream": two Argo
 * CD instances, `east` (staging cluster) and `west` (production cluster), each
 * with its own backend on its own PostgreSQL database. Each backend forwards the
 * events it emits to one NATS JetStream stream (its outbox and NATS sink) and
 * reads that stream back as an ingest source (a durable consumer), where the CI
 * also publishes. Both instances have an app `argocd/auth`; they never mix.
 *
 *   CI ──artifact.published──▶ stream ◀── east backend ◀── Argo CD east: auth synced to staging
 *                                  ▲ ───▶ west backend ◀── Argo CD west: auth synced to production
 *                                  └── test suite in staging, incident in production (tools)
 *
 *   chain on west:  auth deployed (west, prod) ◀─TRIGGER/artifact─ artifact.published ┄purl┄ auth deployed (east, staging)
 *
 * The Argo CD instances are played by the test: it posts each Application state
 * as the notifications webhook template sends it (`?instance=` names the
 * instance), and reads tabs with the headers each instance's proxy extension
 * adds (X-Cdevents-Instance from its `headers:` entry).
 */
import { randomUUID } from 'crypto';
import { connect, headers as createHeaders, type NatsConnection } from 'nats';
import { createEvent } from '../../src/cdevents';
import type { ChainResponse } from '../../src/backend/api/contract';
import { createNatsSink } from '../../src/backend/sinks/natsSink';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/backend/sinks/deliveryWorker';
import { createOutboxStore } from '../../src/backend/sinks/outboxStore';
import { sinkDefaults } from '../../src/backend/sinks/parseSinkSettings';
import type { NatsSinkSettings, Sink } from '../../src/backend/sinks/types';
import { createNatsSource, type NatsMessageOutcome, type NatsSource } from '../../src/backend/sources/natsSource';
import { buildSyncedApplication, type SyncedApplication } from '../helpers/argocdApplications';
import { listAppEvents, notifyArgocd, proxyHeaders, startBackend, type TestBackend } from '../helpers/backend';
import { TEST_NATS_URL } from '../helpers/testServices';

const natsUrl = TEST_NATS_URL;
const run = randomUUID().slice(0, 8);
const streamName = `CDEVENTS_SCENARIO_${run}`;
const subjectRoot = `cdevents.scenario.${run}`;

const clusters = { east: 'https://staging.k8s.example.com', west: 'https://prod.k8s.example.com' } as const;
type Instance = keyof typeof clusters;
const at = (time: string) => `2026-03-02T${time}:00Z`;
const digest = 'cd'.repeat(32);
const image = `ghcr.io/acme/auth:2.0.0`;
const purl = `pkg:oci/auth@sha256%3A${digest}?repository_url=ghcr.io/acme/auth&tag=2.0.0`;
const revision = 'a'.repeat(40);

/** auth as Argo CD `instance` holds it: same name and namespace in both, another cluster. */
function auth(instance: Instance, finishedAt: string) {
  return buildSyncedApplication({
    name: 'auth',
    uid: `uid-auth-${instance}`,
    targetRevision: 'main',
    destination: { server: clusters[instance], namespace: 'auth' },
    revision,
    finishedAt,
    images: [image],
  });
}

/** A tool's CDEvent, built (and so validated) by our own builder. */
function toolEvent(
  id: string,
  type: string,
  timestamp: string,
  subject: { id: string; content: Record<string, unknown> },
) {
  return createEvent({ type, source: 'https://ci.example.com', id, timestamp, subject });
}

/** Polls until `check` passes: the stream is asynchronous, the assertions are not about time. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Site {
  instance: Instance;
  backend: TestBackend;
  worker: DeliveryWorker;
  sink: Sink;
  source: NatsSource;
  /** Context ids the source has stored or found duplicate. */
  consumed: Set<string>;
}

describe('many Argo CD instances, one event stream: two backends share NATS JetStream (real PostgreSQL and NATS)', () => {
  let nc: NatsConnection;
  const sites = {} as Record<Instance, Site>;

  async function startSite(instance: Instance): Promise<Site> {
    const backend = await startBackend({ store: 'postgres', config: { defaultInstance: instance } });
    const settings: NatsSinkSettings = {
      ...sinkDefaults,
      name: `stream-${instance}`,
      kind: 'nats',
      url: natsUrl,
      subject: `${subjectRoot}.${instance}`,
      stream: streamName,
      timeoutMs: 5_000,
    };
    const outbox = createOutboxStore(backend.store.sql);
    await outbox.registerSinks([settings]);
    const sink = createNatsSink(settings);
    const worker = createDeliveryWorker({ outbox, sinks: [sink] });
    const consumed = new Set<string>();
    const source = createNatsSource({
      url: natsUrl,
      stream: streamName,
      durable: `backend-${instance}-${run}`,
      store: backend.store,
      onMessage: (outcome: NatsMessageOutcome) => {
        if (outcome.kind === 'stored') for (const result of outcome.results) consumed.add(result.id ?? '');
      },
    });
    await source.start();
    return { instance, backend, worker, sink, source, consumed };
  }

  /** Argo CD `instance`'s notification controller posts the Application to its own backend. */
  async function notify(site: Site, app: SyncedApplication) {
    const results = await notifyArgocd(site.backend, app, { instance: site.instance });
    // The backend forwards what it emitted: one delivery round of its outbox.
    await site.worker.runOnce();
    return results;
  }

  /** A tool publishes a CDEvent to the stream as a plain JSON message. */
  async function publish(event: ReturnType<typeof toolEvent>) {
    const hdrs = createHeaders();
    hdrs.set('content-type', 'application/json');
    await nc.jetstream().publish(`${subjectRoot}.tools`, new TextEncoder().encode(JSON.stringify(event)), {
      msgID: `${event.context.source}#${event.context.id}`,
      headers: hdrs,
    });
  }

  const bothConsumed = (id: string) => () => sites.east.consumed.has(id) && sites.west.consumed.has(id);

  /** The tab of auth on `instance`, read from `site`'s backend through that instance's proxy. */
  const tab = (site: Site, instance: Instance) => listAppEvents(site.backend, { name: 'auth', instance });

  let eastDeployId = '';
  let westDeployId = '';

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await nc.jetstreamManager();
    // The operator creates the shared stream once; every sink and source then finds it.
    await jsm.streams.add({ name: streamName, subjects: [`${subjectRoot}.>`] });
    sites.east = await startSite('east');
    sites.west = await startSite('west');

    await publish(
      toolEvent('ci-auth-2.0.0', 'artifact.published', at('10:00'), {
        id: purl,
        content: { sbom: { uri: 'https://ci.example.com/sbom/auth-2.0.0.json' } },
      }),
    );
    await eventually(bothConsumed('ci-auth-2.0.0'), 'both backends to read the published artifact');

    const eastResults = await notify(sites.east, auth('east', at('10:10')));
    eastDeployId = eastResults.find((r) => r.status === 'stored')!.id!;
    await eventually(bothConsumed(eastDeployId), "both backends to read east's deployment");

    const westResults = await notify(sites.west, auth('west', at('11:00')));
    westDeployId = westResults.find((r) => r.status === 'stored')!.id!;
    await eventually(bothConsumed(westDeployId), "both backends to read west's deployment");

    await publish(
      toolEvent('suite-staging-1', 'testsuiterun.finished', at('10:20'), {
        id: 'suite-staging-1',
        content: {
          environment: { id: `${clusters.east}/auth` },
          testSuite: { id: 'login-e2e' },
          outcome: 'success',
        },
      }),
    );
    await publish(
      toolEvent('incident-prod-1', 'incident.detected', at('11:30'), {
        id: 'incident-prod-1',
        content: { environment: { id: `${clusters.west}/auth` }, description: 'login latency above SLO' },
      }),
    );
    await eventually(bothConsumed('suite-staging-1'), 'the test suite');
    await eventually(bothConsumed('incident-prod-1'), 'the incident');
  }, 120_000);

  afterAll(async () => {
    for (const site of Object.values(sites)) {
      await site.source.stop();
      await site.worker.stop();
      await site.sink.close();
      await site.backend.close();
    }
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => undefined);
      await nc.close();
    }
  });

  it.each(['east', 'west'] as const)(
    "keeps each event's instance in context.source on %s's backend",
    async (instance) => {
      const store = sites[instance].backend.store;
      for (const [id, from] of [
        [eastDeployId, 'east'],
        [westDeployId, 'west'],
      ] as const) {
        const { rows } = await store.sql.query<{ source: string; instance: string; direction: string }>(
          'SELECT source, instance, direction FROM events WHERE context_id = $1',
          [id],
        );
        expect(rows).toEqual([{ source: `/argocd/${from}/argocd`, instance: from, direction: 'emitted' }]);
      }
    },
  );

  it.each(['east', 'west'] as const)(
    "shows in %s's tab of auth only that instance's deployment, on both backends",
    async (instance) => {
      const own = instance === 'east' ? eastDeployId : westDeployId;
      const foreign = instance === 'east' ? westDeployId : eastDeployId;
      for (const site of [sites.east, sites.west]) {
        const deployments = (await tab(site, instance)).filter((e) => e.subject === 'service');
        expect(deployments.map((e) => e.id)).toEqual([own]);
        expect(deployments.map((e) => e.id)).not.toContain(foreign);
      }
    },
  );

  it('shows the staging test suite only in east’s auth, the production incident only in west’s auth', async () => {
    const eastTab = (await tab(sites.east, 'east')).map((e) => e.id);
    const westTab = (await tab(sites.west, 'west')).map((e) => e.id);
    expect(eastTab).toContain('suite-staging-1');
    expect(eastTab).not.toContain('incident-prod-1');
    expect(westTab).toContain('incident-prod-1');
    expect(westTab).not.toContain('suite-staging-1');
  });

  it('stores each event once although every backend reads back what it forwarded itself', async () => {
    for (const site of [sites.east, sites.west]) {
      const { rows } = await site.backend.store.sql.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM events WHERE subject = 'service'",
      );
      expect(rows[0]!.n).toBe('2');
    }
  });

  it('walks a chain from production on west to staging on east, naming each instance’s app', async () => {
    const west = sites.west;
    const deployment = (await tab(west, 'west')).find((e) => e.id === westDeployId)!;
    const response = await fetch(`${west.backend.url}/api/v1/events/${deployment.key}/chain?depth=6`, {
      headers: proxyHeaders({ namespace: 'argocd', name: 'auth', instance: 'west' }),
    });
    expect(response.status).toBe(200);
    const chain = (await response.json()) as ChainResponse;
    const staging = chain.nodes.find((node) => node.id === eastDeployId);
    expect(staging).toMatchObject({ stage: 'deploy', source: '/argocd/east/argocd' });
    expect(staging!.apps).toContainEqual({ instance: 'east', namespace: 'argocd', name: 'auth', rule: 'emitted' });
    const production = chain.nodes.find((node) => node.id === westDeployId);
    expect(production!.apps).toContainEqual({ instance: 'west', namespace: 'argocd', name: 'auth', rule: 'emitted' });
    expect(chain.nodes.map((node) => node.id)).toContain('ci-auth-2.0.0');
  });
});
