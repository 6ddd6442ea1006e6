import { parseEventType } from '../../cdevents';
import { normalizeRepository } from './normalizeRepository';
import { listArtifactKeys, parseArtifactId } from './parseArtifactId';

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
  artifactIds: string[];
  /** Normalised with normalizeRepository. */
  repositories: string[];
  revisions: string[];
  /** `<repository>@<revision>` pairs, from source purls and from repository + revision fields. */
  repositoryRevisions: string[];
  pipelineRunIds: string[];
  testSuiteRunIds: string[];
  changeIds: string[];
  environmentIds: string[];
  serviceIds: string[];
}

type FactName = Exclude<keyof EventFacts, 'subject' | 'predicate' | 'subjectId' | 'repositoryRevisions'>;

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

function readStrings(root: unknown, path: readonly string[]): string[] {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
    node = (node as Record<string, unknown>)[step];
  }
  const values = Array.isArray(node) ? node : [node];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** Reads an event's domain ids; never throws, whatever the payload. */
export function extractEventFacts(payload: unknown): EventFacts {
  const context = readRecord(payload, 'context');
  const parsed = parseEventType(context?.type);
  const subject = parsed?.subject.toLowerCase();
  const facts: EventFacts = {
    subject,
    predicate: parsed?.predicate.toLowerCase(),
    subjectId: readStrings(payload, ['subject', 'id'])[0],
    artifactIds: [],
    repositories: [],
    revisions: [],
    repositoryRevisions: [],
    pipelineRunIds: [],
    testSuiteRunIds: [],
    changeIds: [],
    environmentIds: [],
    serviceIds: [],
  };
  for (const row of FACT_PATHS) {
    if (row.subjects && (!subject || !row.subjects.includes(subject))) continue;
    for (const value of readStrings(payload, row.path)) {
      if (row.fact === 'repositories') {
        const repository = normalizeRepository(value);
        if (repository) facts.repositories.push(repository);
      } else {
        facts[row.fact].push(value);
      }
    }
  }
  const pairs: string[] = [];
  for (const artifactId of facts.artifactIds) {
    const identity = parseArtifactId(artifactId);
    if (identity?.repository) {
      facts.repositories.push(identity.repository);
      if (identity.revision) pairs.push(`${identity.repository}@${identity.revision}`);
    }
  }
  for (const repository of facts.repositories) {
    for (const revision of facts.revisions) pairs.push(`${repository}@${revision}`);
  }
  facts.repositoryRevisions = pairs;
  for (const name of Object.keys(facts) as Array<keyof EventFacts>) {
    const value = facts[name];
    if (Array.isArray(value)) (facts[name] as string[]) = [...new Set(value)];
  }
  return facts;
}

const factsByPayload = new WeakMap<object, EventFacts>();

/**
 * extractEventFacts once per payload object: ingest reads the same facts for an
 * event's chain keys and for every attribution rule. The result is shared, so
 * callers only read it.
 */
export function extractEventFactsOnce(payload: unknown): EventFacts {
  if (typeof payload !== 'object' || payload === null) return extractEventFacts(payload);
  let facts = factsByPayload.get(payload);
  if (!facts) {
    facts = extractEventFacts(payload);
    factsByPayload.set(payload, facts);
  }
  return facts;
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
  'artifact' | 'repository-revision' | 'pipeline-run' | 'test-suite-run' | 'change' | 'environment';

export interface CorrelationKey {
  kind: CorrelationKind;
  value: string;
}

/** The inferred-edge keys of an event: one row per (kind, value). */
export function listCorrelationKeys(facts: EventFacts): CorrelationKey[] {
  const keys: CorrelationKey[] = [];
  const push = (kind: CorrelationKind, values: string[]) => {
    for (const value of new Set(values)) keys.push({ kind, value });
  };
  push(
    'artifact',
    facts.artifactIds.flatMap((id) => {
      const identity = parseArtifactId(id);
      return identity ? listArtifactKeys(identity) : [];
    }),
  );
  push('repository-revision', facts.repositoryRevisions);
  push('pipeline-run', facts.pipelineRunIds);
  push('test-suite-run', facts.testSuiteRunIds);
  push('change', facts.changeIds);
  push('environment', facts.environmentIds);
  return keys;
}
