/**
 * The revision a sync-revision rule asks Argo CD to sync an app to, or why there is none. Pure.
 *
 * Argo CD reads `revision` against the app's source: a git source wants a commit, tag or branch,
 * a Helm chart source a chart version, an OCI source (repoURL oci://…) a tag or digest. An artifact's
 * tag (1.14.0) often names the git tag or chart version it was built from, so it is taken; a digest
 * (sha256:…) names an image and nothing else, so it is taken for an OCI source only: syncing a
 * git-sourced app "to sha256:…" asks Argo CD for a git revision that cannot exist.
 */
import type { Application, ApplicationSource } from '../argocd/application';
import { tryParsePurl } from '../argocd/purl';
import { extractEventFacts } from '../chains/extractEventFacts';
import { type CandidateEvent, readPath } from './matchInboundEvent';
import type { InboundRule } from './triggerDefinition';

/** What kind of revision the app's source takes; `unknown` when the backend has no snapshot of the app. */
export type AppSourceKind = 'git' | 'helm' | 'oci' | 'unknown';

export type RevisionChoice = { ok: true; revision: string } | { ok: false; reason: string };

function classifySource(source: ApplicationSource): Exclude<AppSourceKind, 'unknown'> {
  if (source.repoURL?.startsWith('oci://')) return 'oci';
  if (source.chart) return 'helm';
  return 'git';
}

/** The kind of the app's source; a multi-source app's sources that are not `ref`-only values repositories. */
export function classifyAppSource(application: Application | undefined): AppSourceKind {
  const sources = application?.spec?.sources?.length
    ? application.spec.sources.filter((source) => !source.ref || source.path || source.chart)
    : application?.spec?.source
      ? [application.spec.source]
      : [];
  const kinds = new Set(sources.map(classifySource));
  return kinds.size === 1 ? [...kinds][0]! : 'unknown';
}

const sourceLabels: Record<Exclude<AppSourceKind, 'unknown'>, string> = {
  git: 'a git repository',
  helm: 'a Helm chart',
  oci: 'an OCI artifact',
};

/** An OCI digest (`sha256:…`): only an OCI source can be synced to one. */
function isDigest(version: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-f]{32,}$/i.test(version);
}

/** Whether an artifact version can be the app's revision; a tag may name a git tag or chart version by convention. */
function fits(version: string, kind: AppSourceKind): boolean {
  return !isDigest(version) || kind === 'oci';
}

export function chooseSyncRevision(rule: InboundRule, event: CandidateEvent, kind: AppSourceKind): RevisionChoice {
  if (rule.revisionField) {
    // The rule's author named the field: what it holds is theirs to vouch for.
    const value = readPath(readPath(event.payload, 'customData'), rule.revisionField);
    return typeof value === 'string' && value.length > 0
      ? { ok: true, revision: value }
      : { ok: false, reason: `the event has no customData.${rule.revisionField} to sync to` };
  }
  const facts = extractEventFacts(event.payload);
  const refused: string[] = [];
  for (const purl of facts.artifactIds) {
    const parsed = tryParsePurl(purl);
    if (!parsed?.version) continue;
    if (fits(parsed.version, kind)) return { ok: true, revision: parsed.version };
    refused.push(`${parsed.type} ${parsed.name}@${parsed.version}`);
  }
  // Git revisions the event carries (customData.git.revision and the like) are revisions of a git source.
  const revision = facts.revisions[0];
  if (revision && (kind === 'git' || kind === 'unknown')) return { ok: true, revision };
  if (revision) refused.push(`git revision ${revision}`);
  if (refused.length === 0) return { ok: false, reason: 'the event names no artifact version or revision to sync to' };
  const why =
    kind === 'unknown'
      ? 'a digest is a revision of an OCI source only, and the backend has not seen this app’s source'
      : `this app's source is ${sourceLabels[kind]}`;
  return {
    ok: false,
    reason: `the event names no revision this app can sync to: ${refused.join(', ')} (${why}; name the customData field that holds the revision instead)`,
  };
}
