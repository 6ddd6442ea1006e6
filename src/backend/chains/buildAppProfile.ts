import type { Application } from '../argocd/application';
import { readSources } from '../argocd/application';
import { buildAppIdentity, buildLiveArtifactIds } from '../argocd/appIdentity';
import type { AppRef } from '../store/types';
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
  return {
    app: { instance, namespace: identity.namespace, name: identity.name },
    artifacts,
    repositories: [...repositories].map(([repository, revisions]) => ({ repository, revisions: [...revisions] })),
    environments: [...environments],
    triggeredBy: input.triggeredBy ?? [],
  };
}
