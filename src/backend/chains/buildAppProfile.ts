import type { Application } from '../argocd/application';
import { readSources } from '../argocd/application';
import { buildAppIdentity, buildLiveArtifactIds } from '../argocd/appIdentity';
import type { AppRef } from '../store/types';
import type { ReportedDeploy } from './readReportedDeploy';
import { normalizeRepository } from './normalizeRepository';
import { type ArtifactIdentity, parseArtifactId } from './parseArtifactId';

/**
 * What the received-event rules compare an event with: the app as its last
 * seen Application snapshot describes it. Built with the Argo CD mapping's own
 * helpers, so an app's received events are matched on exactly the purls and
 * environment id its emitted events carry.
 */
export interface AppProfile {
  app: AppRef;
  /** Every artifact the app deploys: running images, Helm charts, git sources at the synced revision. */
  artifacts: Array<{ purl: string; identity: ArtifactIdentity }>;
  /** The app's source repositories (normalised) with the revisions it deploys from them. */
  repositories: Array<{ repository: string; revisions: string[] }>;
  /** The ids its destination is known by in events. */
  environments: string[];
  /** context ids of received events that the app's emitted events name with RELATION TRIGGER. */
  triggeredBy: string[];
  /**
   * The ids other tools' events name the app's service by (content.service.id, subject.id): its
   * `<namespace>/<name>`, and `<destination namespace>/<name>` as Argo CD's proposal writes it.
   */
  serviceIds: string[];
  /**
   * Artifacts (purl) and environments (id) the app has only because another tool reported deploying
   * it there, with that tool's context.source: the rules say so in their sentence.
   */
  reportedBy: Record<string, string>;
}

/** Builds the profile of one app from its snapshot; `triggeredBy` comes from the store. */
export function buildAppProfile(input: {
  instance: string;
  application: Application;
  triggeredBy?: string[];
}): AppProfile {
  const { application, instance } = input;
  const identity = buildAppIdentity(application, instance);
  const artifacts = buildLiveArtifactIds(application)
    .all.map((purl) => ({ purl, identity: parseArtifactId(purl) }))
    .filter((a): a is { purl: string; identity: ArtifactIdentity } => a.identity !== undefined);
  const repositories = new Map<string, Set<string>>();
  const addRepository = (repository: string | undefined, revision: string | undefined) => {
    if (!repository) return;
    const revisions = repositories.get(repository) ?? new Set<string>();
    if (revision) revisions.add(revision);
    repositories.set(repository, revisions);
  };
  for (const source of readSources(application)) addRepository(normalizeRepository(source.repoURL ?? ''), undefined);
  for (const { identity: artifact } of artifacts) addRepository(artifact.repository, artifact.revision);
  const destination = application.spec?.destination ?? {};
  const environments = new Set([identity.environment.id]);
  // Tools outside Argo CD name a cluster by its Argo CD name as often as by its URL.
  if (destination.name && destination.namespace) environments.add(`${destination.name}/${destination.namespace}`);
  // The Argo CD proposal (argo-cd PR #24106) and the argo-cdviz demo name the service
  // `{destination namespace}/{app}`, not `{app namespace}/{app}` as this backend does.
  const proposed = destination.namespace ? `${destination.namespace}/${identity.name}` : undefined;
  const destinationServiceId = proposed !== identity.subjectId ? proposed : undefined;
  return {
    app: { instance, namespace: identity.namespace, name: identity.name },
    artifacts,
    repositories: [...repositories].map(([repository, revisions]) => ({ repository, revisions: [...revisions] })),
    environments: [...environments],
    triggeredBy: input.triggeredBy ?? [],
    serviceIds: [identity.subjectId, ...(destinationServiceId ? [destinationServiceId] : [])],
    reportedBy: {},
  };
}

/** Any instance: another tool's report names no Argo CD instance (store/types AppRef). */
const anyInstance = '*';

function addReport(profile: AppProfile, deploy: ReportedDeploy): AppProfile {
  const next: AppProfile = {
    ...profile,
    artifacts: [...profile.artifacts],
    repositories: [...profile.repositories],
    environments: [...profile.environments],
    reportedBy: { ...profile.reportedBy },
  };
  const identity = deploy.artifactId ? parseArtifactId(deploy.artifactId) : undefined;
  if (deploy.artifactId && identity && !next.artifacts.some((artifact) => artifact.purl === deploy.artifactId)) {
    next.artifacts.push({ purl: deploy.artifactId, identity });
    next.reportedBy[deploy.artifactId] = deploy.source;
    if (identity.repository && !next.repositories.some((r) => r.repository === identity.repository)) {
      next.repositories.push({
        repository: identity.repository,
        revisions: identity.revision ? [identity.revision] : [],
      });
    }
  }
  if (deploy.environmentId && !next.environments.includes(deploy.environmentId)) {
    next.environments.push(deploy.environmentId);
    next.reportedBy[deploy.environmentId] = deploy.source;
  }
  return next;
}

/**
 * The profiles with what other tools reported deploying added to the app they name, in every
 * instance that has it; an app no Argo CD notification told us about yet gets a profile of its own
 * under instance `*`, so its tab in any instance shows what the reports attribute.
 */
export function mergeReportedDeploys(
  profiles: readonly AppProfile[],
  deploys: readonly ReportedDeploy[],
): AppProfile[] {
  const merged = [...profiles];
  for (const deploy of deploys) {
    const { namespace, name } = deploy.app;
    let found = false;
    // By any id the app's service is known by: a report in the proposal's format names the destination namespace.
    const serviceId = `${namespace}/${name}`;
    merged.forEach((profile, index) => {
      if (!profile.serviceIds.includes(serviceId)) return;
      found = true;
      merged[index] = addReport(profile, deploy);
    });
    if (!found) {
      const empty: AppProfile = {
        app: { instance: anyInstance, namespace, name },
        artifacts: [],
        repositories: [],
        environments: [],
        triggeredBy: [],
        serviceIds: [`${namespace}/${name}`],
        reportedBy: {},
      };
      merged.push(addReport(empty, deploy));
    }
  }
  return merged;
}
