/**
 * Who an Application is in CDEvents terms: the context source of its events,
 * its service subject id, its environment (the destination) and the artifacts
 * it deploys as purls. Pure; shared by the live mapping and the backfill so
 * both name the same things the same way.
 */
import {
  type Application,
  type ApplicationSource,
  normaliseRevisions,
  readAppNamespace,
  readImages,
  readSources,
} from './application';
import { buildGitPurl, buildHelmPurl, buildImagePurl, formatPurl, tryParsePurl } from './purl';

export interface AppIdentity {
  instance: string;
  namespace: string;
  name: string;
  uid: string;
  /** context.source: `/argocd/<instance>/<namespace>`. */
  source: string;
  /** The service subject id: `<namespace>/<name>`. */
  subjectId: string;
  environment: { id: string; source: string };
}

/** Instance names become a path segment of context.source, so they are kept to URL-safe characters. */
export const INSTANCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function buildAppIdentity(app: Application, instance: string): AppIdentity {
  const namespace = readAppNamespace(app);
  const destination = app.spec?.destination ?? {};
  // server wins over name: two instances' "in-cluster" are different clusters, and the env source tells instances apart.
  const cluster = destination.server || destination.name || 'unknown-cluster';
  const environmentId = destination.namespace ? `${cluster}/${destination.namespace}` : cluster;
  return {
    instance,
    namespace,
    name: app.metadata.name,
    uid: app.metadata.uid,
    source: `/argocd/${instance}/${namespace}`,
    subjectId: `${namespace}/${app.metadata.name}`,
    environment: { id: environmentId, source: `/argocd/${instance}` },
  };
}

/** A values-only source (`ref:` with neither chart nor path) deploys nothing by itself. */
function isRefOnly(source: ApplicationSource): boolean {
  return Boolean(source.ref) && !source.chart && !source.path;
}

/** The purl of one source at its synced revision; undefined when the source names no usable repository. */
export function buildSourcePurl(source: ApplicationSource, revision: string | undefined): string | undefined {
  const repoURL = source.repoURL?.trim();
  if (source.chart) {
    return buildHelmPurl({
      chart: source.chart,
      version: revision || source.targetRevision,
      repositoryUrl: repoURL || undefined,
    });
  }
  if (!repoURL) return undefined;
  return buildGitPurl({ repoURL, revision: revision || undefined, path: source.path });
}

export interface ArtifactIds {
  /** The one artifactId a service event carries. */
  primary: string;
  /** Every artifact the app deploys (images, charts, repositories), primary first, no duplicates. */
  all: string[];
}

function pickPrimaryImage(imagePurls: string[], revisions: string[], names: string[]): string | undefined {
  const parsed = imagePurls.map((purl) => ({ purl, parts: tryParsePurl(purl) }));
  const byTag = parsed.find(({ parts }) => {
    const tag = parts?.qualifiers?.tag ?? parts?.version;
    return tag !== undefined && revisions.includes(tag);
  });
  if (byTag) return byTag.purl;
  const byName = parsed.find(({ parts }) => parts !== undefined && names.includes(parts.name));
  return byName?.purl ?? imagePurls[0];
}

/**
 * The artifacts deployed by a sync of `sources` at `revisions` (index-aligned,
 * as Argo CD aligns them), preferring a running image when `images` are known.
 * Always yields a primary id, since service events require one.
 */
export function buildArtifactIds(input: {
  appName: string;
  sources: ApplicationSource[];
  revisions: string[];
  images?: string[];
}): ArtifactIds {
  const sourcePurls: string[] = [];
  let primarySource: string | undefined;
  input.sources.forEach((source, index) => {
    const purl = buildSourcePurl(source, input.revisions[index]);
    if (!purl) return;
    sourcePurls.push(purl);
    if (!primarySource && !isRefOnly(source)) primarySource = purl;
  });
  const imagePurls = (input.images ?? []).map(buildImagePurl).filter((purl): purl is string => purl !== undefined);
  const names = [input.appName.toLowerCase(), ...input.sources.map((source) => (source.chart ?? '').toLowerCase())];
  const primary =
    pickPrimaryImage(imagePurls, input.revisions, names) ??
    primarySource ??
    sourcePurls[0] ??
    formatPurl({ type: 'generic', name: input.appName, version: input.revisions.find(Boolean) });
  return { primary, all: [...new Set([primary, ...imagePurls, ...sourcePurls])] };
}

/** The sources a sync operation applied: the result's, else the operation's, else the spec's. */
export function readSyncedSources(app: Application): ApplicationSource[] {
  const state = app.status?.operationState;
  for (const holder of [state?.syncResult, state?.operation?.sync]) {
    if (Array.isArray(holder?.sources) && holder.sources.length > 0) return holder.sources;
    if (holder?.source?.repoURL) return [holder.source];
  }
  return readSources(app);
}

/** The artifacts of the app's current state (its last sync, else its spec at the synced revisions). */
export function buildLiveArtifactIds(app: Application): ArtifactIds {
  const state = app.status?.operationState;
  const fromOperation = normaliseRevisions(state?.syncResult);
  const revisions =
    fromOperation.length > 0
      ? fromOperation
      : normaliseRevisions(state?.operation?.sync).length > 0
        ? normaliseRevisions(state?.operation?.sync)
        : normaliseRevisions(app.status?.sync);
  return buildArtifactIds({
    appName: app.metadata.name,
    sources: readSyncedSources(app),
    revisions,
    images: readImages(app),
  });
}
