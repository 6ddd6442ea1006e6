import { parseEventType } from '../../cdevents';
import { normalizeRepository } from './normalizeRepository';
import { type ArtifactIdentity, listArtifactKeys, parseArtifactId } from './parseArtifactId';

/**
 * The domain ids an event carries, read from its payload. Real emitters set
 * neither `chainId` nor links (research/cdevents.md §3), so chains and
 * attribution correlate on these instead: the artifact purl, the repository
 * and revision, the pipeline run, the test suite run, the change and the
 * environment.
 */
export interface EventFacts {
  /** Lower-cased subject and predicate from context.type. */
  subject?: string;
  predicate?: string;
  subjectId?: string;
  /** Purls as written in the event. */
  artifactIds: readonly string[];
  /** The purls of artifactIds that parse, each parsed once (the chain keys and the artifact rule read them). */
  artifacts: ReadonlyArray<{ purl: string; identity: ArtifactIdentity }>;
  /** Normalised with normalizeRepository. */
  repositories: readonly string[];
  revisions: readonly string[];
  /** `<repository>@<revision>` pairs, from source purls and from repository + revision fields. */
  repositoryRevisions: readonly string[];
  pipelineRunIds: readonly string[];
  testSuiteRunIds: readonly string[];
  changeIds: readonly string[];
  environmentIds: readonly string[];
  serviceIds: readonly string[];
  /**
   * `domainId` URNs the event's links name (spec 0.6 draft: `target.domainId`, `from.domainId`): a
   * resource in a system that emits no CDEvents, which every event linking it shares.
   */
  domainIds: readonly string[];
}

type FactName = Exclude<
  keyof EventFacts,
  'subject' | 'predicate' | 'subjectId' | 'repositoryRevisions' | 'artifacts' | 'domainIds'
>;

/**
 * Where each fact is found. `subjects` restricts a path to events of those
 * subjects (the subject id of an artifact event is its purl; of a service event
 * it is not). Paths ending in an array take every string in it. To teach the
 * backend a new emitter's convention, add a row.
 */
export const FACT_PATHS: ReadonlyArray<{ fact: FactName; path: readonly string[]; subjects?: readonly string[] }> = [
  { fact: 'artifactIds', path: ['subject', 'id'], subjects: ['artifact'] },
  { fact: 'artifactIds', path: ['subject', 'content', 'artifactId'] },
  { fact: 'repositories', path: ['subject', 'content', 'repository', 'id'] },
  { fact: 'repositories', path: ['subject', 'content', 'uri'], subjects: ['repository'] },
  { fact: 'repositories', path: ['subject', 'content', 'viewUrl'], subjects: ['repository'] },
  // cdviz's GitHub and GitLab transformers
  { fact: 'repositories', path: ['customData', 'github', 'repository', 'url'] },
  { fact: 'repositories', path: ['customData', 'gitlab', 'project', 'web_url'] },
  { fact: 'repositories', path: ['customData', 'git', 'repository'] },
  { fact: 'repositories', path: ['customData', 'argocd', 'repoURL'] },
  { fact: 'repositories', path: ['customData', 'argocd', 'repoURLs'] },
  { fact: 'revisions', path: ['customData', 'git', 'revision'] },
  { fact: 'revisions', path: ['customData', 'github', 'head_sha'] },
  { fact: 'revisions', path: ['customData', 'github', 'sha'] },
  { fact: 'revisions', path: ['customData', 'gitlab', 'checkout_sha'] },
  { fact: 'revisions', path: ['customData', 'argocd', 'revision'] },
  { fact: 'revisions', path: ['customData', 'argocd', 'revisions'] },
  { fact: 'pipelineRunIds', path: ['subject', 'id'], subjects: ['pipelinerun'] },
  { fact: 'pipelineRunIds', path: ['subject', 'content', 'pipelineRun', 'id'] },
  { fact: 'testSuiteRunIds', path: ['subject', 'id'], subjects: ['testsuiterun'] },
  { fact: 'testSuiteRunIds', path: ['subject', 'content', 'testSuiteRun', 'id'] },
  { fact: 'changeIds', path: ['subject', 'id'], subjects: ['change'] },
  { fact: 'changeIds', path: ['subject', 'content', 'change', 'id'] },
  { fact: 'environmentIds', path: ['subject', 'id'], subjects: ['environment'] },
  { fact: 'environmentIds', path: ['subject', 'content', 'environment', 'id'] },
  { fact: 'serviceIds', path: ['subject', 'id'], subjects: ['service'] },
  { fact: 'serviceIds', path: ['subject', 'content', 'service', 'id'] },
];

const NONE: readonly string[] = Object.freeze([]);
const SUBJECT_ID_PATH: readonly string[] = ['subject', 'id'];

/** The non-blank strings at `path` (trimmed); most paths are absent from an event, and cost no allocation. */
function readStrings(root: unknown, path: readonly string[]): readonly string[] {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return NONE;
    node = (node as Record<string, unknown>)[step];
  }
  if (typeof node === 'string') {
    const value = node.trim();
    return value === '' ? NONE : [value];
  }
  if (!Array.isArray(node)) return NONE;
  const values: string[] = [];
  for (const item of node as unknown[]) {
    if (typeof item === 'string' && item.trim() !== '') values.push(item.trim());
  }
  return values;
}

/** Without repeated values; most lists hold zero or one. */
function dedupe(values: readonly string[]): readonly string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

/** Reads an event's domain ids; never throws, whatever the payload. */
export function extractEventFacts(payload: unknown): EventFacts {
  const context = readRecord(payload, 'context');
  const parsed = parseEventType(context?.type);
  const subject = parsed?.subject.toLowerCase();
  // Lists start as the shared empty one and get their own array at their first value: an event fills a
  // few of the twelve, and this runs for every event ingested.
  const found: Record<FactName, string[] | undefined> = {
    artifactIds: undefined,
    repositories: undefined,
    revisions: undefined,
    pipelineRunIds: undefined,
    testSuiteRunIds: undefined,
    changeIds: undefined,
    environmentIds: undefined,
    serviceIds: undefined,
  };
  // Index loops: most lists read here are the frozen empty one, and for...of over a frozen array
  // allocates an iterator each time (measured: the largest allocation of fact extraction).
  for (let rowIndex = 0; rowIndex < FACT_PATHS.length; rowIndex++) {
    const row = FACT_PATHS[rowIndex]!;
    if (row.subjects && (!subject || !row.subjects.includes(subject))) continue;
    const values = readStrings(payload, row.path);
    for (let index = 0; index < values.length; index++) {
      const fact = row.fact === 'repositories' ? normalizeRepository(values[index]!) : values[index];
      if (fact) (found[row.fact] ??= []).push(fact);
    }
  }
  const artifactIds = dedupe(found.artifactIds ?? NONE);
  const artifacts: Array<{ purl: string; identity: ArtifactIdentity }> = [];
  const repositories = found.repositories ?? [];
  const pairs: string[] = [];
  for (let index = 0; index < artifactIds.length; index++) {
    const purl = artifactIds[index]!;
    const identity = parseArtifactId(purl);
    if (!identity) continue;
    artifacts.push({ purl, identity });
    if (identity.repository) {
      repositories.push(identity.repository);
      if (identity.revision) pairs.push(`${identity.repository}@${identity.revision}`);
    }
  }
  const revisions = dedupe(found.revisions ?? NONE);
  const uniqueRepositories = dedupe(repositories);
  for (let index = 0; index < uniqueRepositories.length; index++) {
    for (let at = 0; at < revisions.length; at++) pairs.push(`${uniqueRepositories[index]!}@${revisions[at]!}`);
  }
  return {
    subject,
    predicate: parsed?.predicate.toLowerCase(),
    subjectId: readStrings(payload, SUBJECT_ID_PATH)[0],
    artifactIds,
    artifacts,
    repositories: uniqueRepositories,
    revisions,
    repositoryRevisions: dedupe(pairs),
    pipelineRunIds: dedupe(found.pipelineRunIds ?? NONE),
    testSuiteRunIds: dedupe(found.testSuiteRunIds ?? NONE),
    changeIds: dedupe(found.changeIds ?? NONE),
    environmentIds: dedupe(found.environmentIds ?? NONE),
    serviceIds: dedupe(found.serviceIds ?? NONE),
    domainIds: readLinkDomainIds(context),
  };
}

/** The domainIds of context.links (RELATION targets, PATH and END origins), without repeats. */
function readLinkDomainIds(context: Record<string, unknown> | undefined): readonly string[] {
  const links = context?.links;
  if (!Array.isArray(links) || links.length === 0) return NONE;
  const ids: string[] = [];
  for (const link of links) {
    for (const end of ['target', 'from']) {
      const domainId = readRecord(link, end)?.domainId;
      if (typeof domainId === 'string' && domainId.trim() !== '') ids.push(domainId.trim());
    }
  }
  return ids.length === 0 ? NONE : dedupe(ids);
}

function readRecord(root: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const value = (root as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** How two events may be correlated without a link between them. */
export type CorrelationKind =
  'artifact' | 'repository-revision' | 'pipeline-run' | 'test-suite-run' | 'change' | 'environment' | 'domain-id';

export interface CorrelationKey {
  kind: CorrelationKind;
  value: string;
}

/** The inferred-edge keys of an event: one row per (kind, value). */
export function listCorrelationKeys(facts: EventFacts): CorrelationKey[] {
  const keys: CorrelationKey[] = [];
  // Every list is already free of repeats, except artifact keys: two purls may share a version.
  const push = (kind: CorrelationKind, values: readonly string[]) => {
    for (let index = 0; index < values.length; index++) keys.push({ kind, value: values[index]! });
  };
  push('artifact', dedupe(facts.artifacts.flatMap(({ identity }) => listArtifactKeys(identity))));
  push('repository-revision', facts.repositoryRevisions);
  push('pipeline-run', facts.pipelineRunIds);
  push('test-suite-run', facts.testSuiteRunIds);
  push('change', facts.changeIds);
  push('environment', facts.environmentIds);
  push('domain-id', facts.domainIds);
  return keys;
}
