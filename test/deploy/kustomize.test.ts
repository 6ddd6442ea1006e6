/**
 * deploy/base and deploy/overlays, read at the YAML level (kubectl is not needed): what a cluster
 * would refuse or a user would trip over (a missing file, a probe on a path the backend does not
 * serve, a Secret key nobody ships, a policy that lets anyone in) fails here first.
 */
import { existsSync, statSync } from 'fs';
import { dirname, join, normalize } from 'path';
import { settingNames } from '../../src/backend/config';
import { type Manifest, deployDir, findOne, listYamlFiles, loadAllManifests, parseYamlFile } from './loadManifests';

interface Container {
  name: string;
  image?: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
  livenessProbe?: { httpGet?: { path?: string; port?: string | number } };
  resources?: { requests?: { cpu?: string; memory?: string } };
}
interface PodSpec {
  containers: Container[];
  serviceAccountName?: string;
  volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
}

const all = loadAllManifests();
const kustomizations = listYamlFiles().filter((f) => /(^|\/)kustomization\.yaml$/.test(f));
/** Full Deployments, not patches: a patch has no selector. */
const deployments = all.filter((m) => m.kind === 'Deployment' && (m.spec as { selector?: unknown })?.selector);
const secretTemplates = all.filter((m) => m.kind === 'Secret' && m.file.startsWith('secrets/'));

function podSpecOf(deployment: Manifest): PodSpec {
  return (deployment.spec as { template: { spec: PodSpec } }).template.spec;
}
function podLabelsOf(deployment: Manifest): Record<string, string> {
  return (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
}
function kustomizationOf(file: string): {
  resources?: string[];
  patches?: Array<{ path?: string }>;
  namespace?: string;
} {
  return parseYamlFile(file)[0] as ReturnType<typeof kustomizationOf>;
}
/** Local documents a kustomization builds from, following nested bases. */
function collectResources(file: string): Manifest[] {
  const dir = dirname(file);
  return (kustomizationOf(file).resources ?? [])
    .filter((r) => !/^https?:\/\//.test(r))
    .flatMap((r) => {
      const path = normalize(join(dir, r));
      return statSync(join(deployDir, path)).isDirectory()
        ? collectResources(join(path, 'kustomization.yaml'))
        : parseYamlFile(path);
    });
}
function matchesSelector(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

describe('every YAML file under deploy/', () => {
  it.each(listYamlFiles())('%s parses with no YAML errors or warnings', (file) => {
    expect(parseYamlFile(file).length).toBeGreaterThan(0);
  });
});

describe('kustomizations', () => {
  it('there is a base and a PostgreSQL overlay', () => {
    expect(kustomizations).toEqual(
      expect.arrayContaining(['base/kustomization.yaml', 'overlays/postgres/kustomization.yaml']),
    );
  });

  it.each(kustomizations)('%s lists only resources and patches that exist and parse', (file) => {
    const k = kustomizationOf(file);
    const dir = dirname(file);
    for (const resource of k.resources ?? []) {
      if (/^https?:\/\//.test(resource)) {
        // A remote base must not move under the user: pin it to a release tag.
        expect(resource).toMatch(/^https:\/\/.+\/v\d+\.\d+\.\d+\//);
        continue;
      }
      const path = join(deployDir, dir, resource);
      expect(existsSync(path)).toBe(true);
      if (statSync(path).isDirectory()) expect(existsSync(join(path, 'kustomization.yaml'))).toBe(true);
      else expect(parseYamlFile(normalize(join(dir, resource))).length).toBeGreaterThan(0);
    }
    for (const patch of k.patches ?? []) {
      expect(patch.path).toBeDefined();
      expect(existsSync(join(deployDir, dir, patch.path!))).toBe(true);
    }
  });

  it('the PostgreSQL overlay patches only objects its base defines', () => {
    const file = 'overlays/postgres/kustomization.yaml';
    const base = collectResources(file);
    for (const patch of kustomizationOf(file).patches ?? []) {
      for (const doc of parseYamlFile(normalize(join('overlays/postgres', patch.path!)))) {
        expect(base.some((m) => m.kind === doc.kind && m.metadata?.name === doc.metadata?.name)).toBe(true);
      }
    }
  });

  it('the base puts everything in the argocd namespace, beside argocd-server', () => {
    expect(kustomizationOf('base/kustomization.yaml').namespace).toBe('argocd');
  });
});

describe('the backend Deployment', () => {
  const backend = findOne(all, 'Deployment', 'cdevents-backend', 'base/deployment.yaml');
  const pod = podSpecOf(backend);
  const container = pod.containers[0];

  it('is the only full Deployment shipped, with one container', () => {
    expect(deployments.map((d) => d.metadata?.name)).toEqual(['cdevents-backend']);
    expect(pod.containers).toHaveLength(1);
  });

  it.each(deployments.flatMap((d) => podSpecOf(d).containers.map((c) => [d.metadata?.name, c.name, c] as const)))(
    '%s/%s probes /healthz for liveness and /readyz for readiness on a declared port',
    (_deployment, _container, c) => {
      expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      const declared = (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]);
      expect(declared).toContain(c.livenessProbe?.httpGet?.port);
      expect(declared).toContain(c.readinessProbe?.httpGet?.port);
    },
  );

  it.each(deployments.flatMap((d) => podSpecOf(d).containers.map((c) => [d.metadata?.name, c.name, c] as const)))(
    '%s/%s requests CPU and memory',
    (_deployment, _container, c) => {
      expect(c.resources?.requests?.cpu).toMatch(/^\d+m?$/);
      expect(c.resources?.requests?.memory).toMatch(/^\d+(Mi|Gi)$/);
    },
  );

  // Node's own variables are read by the runtime, not by config.ts.
  const nodeRuntimeSettings = ['NODE_EXTRA_CA_CERTS'];

  it.each(deployments.flatMap((d) => podSpecOf(d).containers.flatMap((c) => (c.env ?? []).map((e) => [e.name]))))(
    'sets %s, a setting the backend (src/backend/config.ts settingNames) or Node reads',
    (name) => {
      expect([...settingNames, ...nodeRuntimeSettings]).toContain(name);
    },
  );

  it('trusts the cluster CA, so backfill through the Kubernetes API can verify the API server', () => {
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt');
  });

  it('lists Applications only in argocd for backfill, the one namespace its Role covers', () => {
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env.CDEVENTS_BACKFILL).toBe('kubernetes');
    expect(env.CDEVENTS_BACKFILL_NAMESPACES).toBe(
      findOne(all, 'Role', 'cdevents-backend').metadata?.namespace ?? 'argocd',
    );
  });

  it('listens on the port PORT names', () => {
    const port = container.env?.find((e) => e.name === 'PORT')?.value;
    expect(container.ports?.map((p) => String(p.containerPort))).toContain(port);
  });

  it('uses the embedded store on the data volume by default (no DATABASE_URL in the base)', () => {
    expect(container.env?.some((e) => e.name === 'DATABASE_URL')).toBe(false);
    const dataDir = container.env?.find((e) => e.name === 'CDEVENTS_DATA_DIR')?.value;
    const mount = (container as { volumeMounts?: Array<{ name: string; mountPath: string }> }).volumeMounts?.find(
      (m) => m.mountPath === dataDir,
    );
    expect(mount).toBeDefined();
    const volume = pod.volumes?.find((v) => v.name === mount!.name);
    const claimName = volume!.persistentVolumeClaim!.claimName;
    findOne(all, 'PersistentVolumeClaim', claimName, 'base/persistentvolumeclaim.yaml');
  });

  it('stops the old pod before starting the new one, since the embedded store has one writer', () => {
    expect((backend.spec as { replicas: number; strategy: { type: string } }).replicas).toBe(1);
    expect((backend.spec as { strategy: { type: string } }).strategy.type).toBe('Recreate');
  });

  it('the PostgreSQL overlay takes DATABASE_URL from a Secret and runs several replicas', () => {
    const patch = findOne(all, 'Deployment', 'cdevents-backend', 'overlays/postgres/deployment-patch.yaml');
    const env = podSpecOf(patch).containers[0].env ?? [];
    expect(env.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
      name: 'cdevents-database',
      key: 'database-url',
    });
    expect((patch.spec as { replicas: number }).replicas).toBeGreaterThan(1);
  });

  it('runs as a non-root user with a read-only root filesystem', () => {
    const podSecurity = (pod as { securityContext?: { runAsNonRoot?: boolean } }).securityContext;
    const security = (container as { securityContext?: { readOnlyRootFilesystem?: boolean } }).securityContext;
    expect(podSecurity?.runAsNonRoot).toBe(true);
    expect(security?.readOnlyRootFilesystem).toBe(true);
  });
});

describe('Secrets the manifests refer to', () => {
  const references = all
    .filter((m) => m.kind === 'Deployment')
    .flatMap((d) => podSpecOf(d).containers.flatMap((c) => c.env ?? []))
    .flatMap((e) => (e.valueFrom?.secretKeyRef ? [[e.name, e.valueFrom.secretKeyRef] as const] : []));

  it('there are some (the proxy secret and the ingest tokens at least)', () => {
    expect(references.map(([env]) => env)).toEqual(
      expect.arrayContaining(['CDEVENTS_PROXY_SECRET', 'CDEVENTS_INGEST_TOKENS', 'DATABASE_URL']),
    );
  });

  it.each(references)('%s comes from a Secret template in deploy/secrets that has the key', (_env, ref) => {
    const secret = findOne(secretTemplates, 'Secret', ref.name);
    const keys = Object.keys({ ...(secret.stringData as object), ...(secret.data as object) });
    expect(keys).toContain(ref.key);
  });

  it.each(secretTemplates.map((s) => [s.file, s] as const))(
    '%s holds only placeholders, never a usable secret',
    (_file, secret) => {
      for (const value of Object.values((secret.stringData as Record<string, string>) ?? {})) {
        expect(value).toMatch(/REPLACE_WITH_/);
      }
      expect(secret.data).toBeUndefined();
    },
  );
});

describe('the Service, the NetworkPolicy and the Role', () => {
  const backend = findOne(all, 'Deployment', 'cdevents-backend', 'base/deployment.yaml');
  const podLabels = podLabelsOf(backend);
  const service = findOne(all, 'Service', 'cdevents-backend');
  const policy = findOne(all, 'NetworkPolicy', 'cdevents-backend');

  it('the Service selects the backend pods and targets a port the container declares', () => {
    const spec = service.spec as { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> };
    expect(matchesSelector(spec.selector, podLabels)).toBe(true);
    const declared = (podSpecOf(backend).containers[0].ports ?? []).flatMap((p) => [p.name, p.containerPort]);
    for (const port of spec.ports) expect(declared).toContain(port.targetPort);
  });

  it('the NetworkPolicy covers the backend pods and admits only argocd-server, the notifications controller and labelled ingest clients', () => {
    const spec = policy.spec as {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress: Array<{
        from: Array<{
          podSelector?: { matchLabels: Record<string, string> };
          namespaceSelector?: { matchLabels: Record<string, string> };
        }>;
        ports: Array<{ port: number }>;
      }>;
    };
    expect(matchesSelector(spec.podSelector.matchLabels, podLabels)).toBe(true);
    expect(spec.policyTypes).toContain('Ingress');
    const peers = spec.ingress.flatMap((rule) => rule.from);
    // Every peer is narrowed to labelled pods: an empty selector would admit the whole cluster.
    for (const peer of peers) expect(Object.keys(peer.podSelector?.matchLabels ?? {}).length).toBeGreaterThan(0);
    expect(peers.map((p) => p.podSelector?.matchLabels['app.kubernetes.io/name']).filter(Boolean)).toEqual([
      'argocd-server',
      'argocd-notifications-controller',
    ]);
    const clients = peers.find((p) => p.namespaceSelector);
    expect(clients?.podSelector?.matchLabels).toEqual({ 'argocd-cdevents.io/ingest-client': 'true' });
    expect(spec.ingress.flatMap((r) => r.ports.map((p) => p.port))).toEqual([8080]);
  });

  it('the Role grants get/list/watch/patch on Applications and get/patch/update on argocd-notifications-cm only', () => {
    const role = findOne(all, 'Role', 'cdevents-backend');
    const rules = role.rules as Array<{
      apiGroups: string[];
      resources: string[];
      resourceNames?: string[];
      verbs: string[];
    }>;
    expect(rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list', 'watch', 'patch'] },
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['argocd-notifications-cm'],
        verbs: ['get', 'patch', 'update'],
      },
    ]);
  });

  it('the RoleBinding gives that Role to the ServiceAccount the pods run as', () => {
    const binding = findOne(all, 'RoleBinding', 'cdevents-backend');
    const serviceAccount = podSpecOf(backend).serviceAccountName;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cdevents-backend' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: serviceAccount }]);
    findOne(all, 'ServiceAccount', serviceAccount!);
  });
});
