import type { ChainStage } from '../api/contract';

/**
 * The stage of an event in the change → build → artifact → deploy → test →
 * incident → rollback order the chain view lays out. A table, so a new
 * subject is one row; `*` matches any predicate of the subject.
 */
export const STAGE_OF: Readonly<Record<string, ChainStage>> = {
  'change.*': 'change',
  'branch.*': 'change',
  'repository.*': 'change',
  'pipelinerun.*': 'build',
  'taskrun.*': 'build',
  'build.*': 'build',
  'artifact.*': 'artifact',
  'service.rolledback': 'rollback',
  'service.*': 'deploy',
  'environment.*': 'deploy',
  'testcaserun.*': 'test',
  'testsuiterun.*': 'test',
  'testoutput.*': 'test',
  'incident.*': 'incident',
  'ticket.*': 'incident',
};

export function classifyStage(subject: string | null | undefined, predicate: string | null | undefined): ChainStage {
  if (!subject) return 'other';
  const s = subject.toLowerCase();
  return STAGE_OF[`${s}.${(predicate ?? '').toLowerCase()}`] ?? STAGE_OF[`${s}.*`] ?? 'other';
}
