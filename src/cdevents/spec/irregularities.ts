/**
 * Irregular names and spec bugs, in one place. Everything here is a way in which the
 * released schemas are not what their regular pattern would predict; the spec tables and
 * the converter read these instead of each carrying its own special case.
 */

/**
 * The subject as spelled in `subject.type` (spec ≤0.4) and in our builder names. The type
 * string spells every subject in lower case (`dev.cdevents.pipelinerun.queued…`), the subject
 * type in camelCase (`pipelineRun`), and the 0.4.1 schema `$id`s with dashes
 * (`pipeline-run-queued-event`; 0.3.0's testsuiterun.finished is `test-suite-finished-event`).
 */
export const SUBJECT_NAMES = {
  pipelinerun: 'pipelineRun',
  taskrun: 'taskRun',
  repository: 'repository',
  branch: 'branch',
  change: 'change',
  build: 'build',
  artifact: 'artifact',
  testcaserun: 'testCaseRun',
  testsuiterun: 'testSuiteRun',
  testoutput: 'testOutput',
  environment: 'environment',
  service: 'service',
  incident: 'incident',
  ticket: 'ticket',
} as const;

export type SubjectKey = keyof typeof SUBJECT_NAMES;

/**
 * The testing subjects' schemas drop the uri-reference format of both sources in every release:
 * `context.source` is a non-empty string and `subject.source` a bare string (no minLength either),
 * unlike every other event type's. We follow the schemas.
 */
export const SUBJECTS_WITH_UNFORMATTED_SOURCE: readonly string[] = ['testcaserun', 'testsuiterun', 'testoutput'];

/**
 * 0.5 removed `subject.type` (spec commit 72cee83) everywhere except ticket.closed, which still
 * lists it as optional (enum ["ticket"]). An event that omits it is valid, as everywhere in 0.5.
 */
export const OPTIONAL_SUBJECT_TYPE_IN_0_5: readonly string[] = ['ticket.closed'];

/**
 * Custom events: the type pattern allows single-digit version parts only (`0.10.0` is invalid),
 * and 0.4.1 requires `subject.type` matching `<tool>-<subject>`. We follow the schemas.
 */
export const CUSTOM_TYPE_PATTERN = '^dev\\.cdeventsx\\.[a-zA-Z0-9]+-[a-zA-Z]+\\.[a-zA-Z]+\\.[0-9]\\.[0-9]\\.[0-9]$';
export const CUSTOM_SUBJECT_TYPE_PATTERN_0_4 = '^[a-zA-Z0-9]+-[a-zA-Z]+$';

/**
 * Content fields renamed from 0.4.1 to 0.5.1 (spec commit 3e2e806: every `url` became `uri`),
 * as dotted paths inside subject.content. testsuiterun.queued is the odd one: in 0.4.1 its
 * testSuite already had `uri` in started/finished but still `url` in queued.
 */
export const RENAMED_FROM_0_4_TO_0_5: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'pipelinerun.queued': [['url', 'uri']],
  'pipelinerun.started': [['url', 'uri']],
  'pipelinerun.finished': [['url', 'uri']],
  'taskrun.started': [['url', 'uri']],
  'taskrun.finished': [['url', 'uri']],
  'repository.created': [['url', 'uri']],
  'repository.modified': [['url', 'uri']],
  'repository.deleted': [['url', 'uri']],
  'environment.created': [['url', 'uri']],
  'environment.modified': [['url', 'uri']],
  'testsuiterun.queued': [['testSuite.url', 'testSuite.uri']],
};

/**
 * Test outcomes were standardised in 0.5 (spec commit b02be28): pass|fail|cancel|error became
 * success|failure|cancel|error for testcaserun.finished and testsuiterun.finished.
 */
export const OUTCOMES_FROM_0_4_TO_0_5: Readonly<Record<string, string>> = {
  pass: 'success',
  fail: 'failure',
  cancel: 'cancel',
  error: 'error',
};
export const TYPES_WITH_TEST_OUTCOME: readonly string[] = ['testcaserun.finished', 'testsuiterun.finished'];

/** A place where the released schemas are wrong and our definitions deliberately differ. */
export interface SpecBug {
  specVersion: string;
  type: string;
  schema: string;
  bug: string;
  ours: string;
}

/**
 * Released schema bugs our validator does not reproduce. Each one is a known, listed
 * disagreement in the differential test against the spec's schemas.
 */
export const SPEC_BUGS: readonly SpecBug[] = [
  ...['pipelinerun.finished', 'testcaserun.finished', 'testsuiterun.finished'].map((type) => ({
    specVersion: '0.5.0',
    type,
    schema: `schemas/${type.replace('.', '')}.json`,
    bug: 'context.required lists `version`, which is not among its properties while additionalProperties is false, so no event can ever be valid',
    ours: 'require context.specversion, as every other 0.5.0 schema does and as 0.5.1 fixed it (spec commit 8e09a2d)',
  })),
];

/**
 * Spec text and examples that disagree with the schemas (the schemas are authoritative; none of
 * these changes what we validate). Listed so nobody "fixes" our tables after reading the docs.
 */
export const DOC_DISAGREEMENTS: readonly string[] = [
  'spec.md 0.5.1 says producers "MUST use a value of 0.1.1" for specversion; the conformance files use 0.5.1',
  'core.md and continuous-deployment.md 0.5.1 still call the fields `url`; the schemas say `uri`',
  'several 0.5.1 doc examples pair specversion 0.5.1 with older type versions (taskrun.started.0.2.0, 0.1.1)',
  'the 0.4.1 custom conformance file says version 0.5.0-draft; version has no enum, so it is valid',
  'taskrun.finished outcome is a free string in 0.5.1 although pipelinerun.finished has an enum (fixed on main, e4def66)',
];
