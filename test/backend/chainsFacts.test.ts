import { readFileSync } from 'fs';
import path from 'path';
import { classifyStage } from '../../src/backend/chains/classifyStage';
import { extractEventFacts, listCorrelationKeys } from '../../src/backend/chains/extractEventFacts';
import { normalizeRepository } from '../../src/backend/chains/normalizeRepository';
import { parseArtifactId, parseImageReference } from '../../src/backend/chains/parseArtifactId';
import { testDataPath } from '../data/resolveTestData';

const corpus = testDataPath('cdevents-corpus/cdviz-transformers-community');
const readCorpus = (file: string): unknown => JSON.parse(readFileSync(path.join(corpus, file), 'utf8'));
const repo = 'github.com/aaaaa-aaa/aaaaa-aaaaaaaaa';

describe('correlation facts read from real corpus events', () => {
  it.each([
    {
      name: 'a GitHub pull request merged names its change and repository',
      file: 'github_events/outputs/pull_request/closed.01.json',
      expected: {
        changeIds: ['https://api.github.com/repos/aaaaa-aaa/aaaaa-aaaaaaaaa/pulls/97'],
        repositories: [repo],
      },
    },
    {
      name: 'a GitHub workflow run names its pipeline run and repository',
      file: 'github_events/outputs/workflow_run/completed.json',
      expected: {
        pipelineRunIds: ['https://api.github.com/repos/aaaaa-aaa/aaaaa-aaaaaaaaa/actions/runs/11111111111/attempts/1'],
        repositories: [repo],
      },
    },
    {
      name: 'a GitHub workflow job names the pipeline run it belongs to',
      file: 'github_events/outputs/workflow_job/completed.json',
      expected: {
        pipelineRunIds: ['https://api.github.com/repos/aaaaa-aaa/aaaaa-aaaaaaaaa/actions/runs/11111111111/attempts/1'],
      },
    },
    {
      name: 'a GitHub package published names its OCI artifact',
      file: 'github_events/outputs/package/published.4.json',
      expected: {
        artifactIds: [
          'pkg:oci/aaaaa-aaaaaaaaa@aaa111:aaa111aa1a11a1aa11a1aa11111aa11a1a111aaa11a111a111a1a1a1a11a1111?repository_url=ghcr.io/aaaaa-aaa&tag=1.1.1',
        ],
      },
    },
    {
      name: 'a GitHub release names the repository at the released tag',
      file: 'github_events/outputs/release/published.json',
      expected: { repositoryRevisions: [`${repo}@1.1.1`] },
    },
    {
      name: 'a kubewatch deployment update names its environment and image',
      file: 'kubewatch_cloudevents/outputs/deployment/update.json',
      expected: {
        environmentIds: ['cluster/A-dev'],
        artifactIds: ['pkg:oci/aaaaaaaaa?repository_url=docker.io/robustadev&tag=v2.9.0'],
      },
    },
    {
      name: 'an Argo CD deploy rendered by cdviz names its chart and cluster',
      file: 'argocd_notifications/outputs/captured/017_sync_podinfo_3_4.json',
      expected: {
        environmentIds: ['https://kubernetes.default.svc'],
        artifactIds: ['pkg:oci/aaaaaaa@6.9.0?repository_url=ghcr.io/stefanprodan/charts'],
      },
    },
  ])('$name', ({ file, expected }) => {
    expect(extractEventFacts(readCorpus(file))).toMatchObject(expected);
  });

  it('joins a workflow job to its workflow run by the same pipeline run key', () => {
    const run = listCorrelationKeys(extractEventFacts(readCorpus('github_events/outputs/workflow_run/completed.json')));
    const job = listCorrelationKeys(extractEventFacts(readCorpus('github_events/outputs/workflow_job/completed.json')));
    expect(job).toEqual(expect.arrayContaining(run.filter((key) => key.kind === 'pipeline-run')));
  });

  it('keys an OCI artifact by both its digest and its tag, so a tag-only deploy matches a digest publish', () => {
    const keys = listCorrelationKeys(extractEventFacts(readCorpus('github_events/outputs/package/published.4.json')));
    expect(keys).toContainEqual({ kind: 'artifact', value: 'pkg:oci/aaaaa-aaaaaaaaa@1.1.1' });
  });

  it('never throws on a payload that is not an event', () => {
    for (const payload of [null, 42, 'x', [], { context: 1, subject: { id: 7, content: [] } }]) {
      expect(extractEventFacts(payload)).toMatchObject({ artifactIds: [], repositories: [] });
    }
  });
});

describe('repository spellings', () => {
  it.each([
    ['https://github.com/org/App.git', 'github.com/org/app'],
    ['git@github.com:org/app.git', 'github.com/org/app'],
    ['https://api.github.com/repos/org/app', 'github.com/org/app'],
    ['https://api.github.com/repos/org/app/pulls/97', 'github.com/org/app'],
    ['git+https://user:token@gitlab.example.com:8443/group/sub/app/', 'gitlab.example.com/group/sub/app'],
    ['ghcr.io/stefanprodan/charts', 'ghcr.io/stefanprodan/charts'],
  ])('%s is the repository %s', (input, expected) => {
    expect(normalizeRepository(input)).toBe(expected);
  });

  it.each(['', '   ', 'https://github.com/'])('%j names no repository', (input) => {
    expect(normalizeRepository(input)).toBeUndefined();
  });
});

describe('artifact ids', () => {
  it.each([
    {
      name: 'an OCI purl with a digest and a tag',
      purl: 'pkg:oci/auth@sha256%3Aabc?repository_url=ghcr.io/org&tag=1.4.0',
      expected: { base: 'pkg:oci/auth', versions: ['sha256:abc', '1.4.0'] },
    },
    {
      name: 'a GitHub purl at a commit',
      purl: 'pkg:github/Org/App@0123abc',
      expected: { base: 'pkg:github/Org/App', repository: 'github.com/org/app', revision: '0123abc' },
    },
    {
      name: 'a generic purl with a vcs_url',
      purl: 'pkg:generic/app@0123abc?vcs_url=git%2Bhttps%3A%2F%2Fgit.example.com%2Fteam%2Fapp.git',
      expected: { repository: 'git.example.com/team/app', revision: '0123abc' },
    },
    {
      name: 'a Helm chart',
      purl: 'pkg:helm/podinfo@6.9.0?repository_url=https://stefanprodan.github.io/podinfo',
      expected: { base: 'pkg:helm/podinfo', versions: ['6.9.0'] },
    },
    {
      name: 'a purl whose subpath holds a question mark (not qualifiers)',
      purl: 'pkg:oci/app@1.0#charts/app?tag=2.0',
      expected: { base: 'pkg:oci/app', versions: ['1.0'] },
    },
    {
      name: 'a purl with the tag qualifier twice (the last counts) and a tag equal to the version once',
      purl: 'pkg:oci/app@2.0?TAG=1.0&tag=2.0',
      expected: { base: 'pkg:oci/app', versions: ['2.0'] },
    },
    {
      name: 'a purl whose type is the name of an object property',
      purl: 'pkg:constructor/org/app@1.0',
      expected: { base: 'pkg:constructor/org/app', versions: ['1.0'] },
    },
  ])('reads $name', ({ purl, expected }) => {
    expect(parseArtifactId(purl)).toMatchObject(expected);
  });

  it('finds no repository in a purl whose type only looks like a known host on Object.prototype', () => {
    expect(parseArtifactId('pkg:constructor/org/app@1.0')?.repository).toBeUndefined();
  });

  it.each(['', 'not a purl', 'pkg:', 'pkg:oci/', 'pkg:oci/?tag=1', 'pkg:1oci/app@1', 'PKG:oci/app@1'])(
    '%j is not an artifact id',
    (purl) => {
      expect(parseArtifactId(purl)).toBeUndefined();
    },
  );

  it.each([
    ['ghcr.io/org/auth:1.4.0', ['1.4.0']],
    ['ghcr.io/org/auth@sha256:abc', ['sha256:abc']],
    ['localhost:5000/auth', []],
  ])('reads the image %s as pkg:oci/auth with versions %j', (image, versions) => {
    expect(parseImageReference(image)).toEqual({ base: 'pkg:oci/auth', type: 'oci', versions });
  });
});

describe('stages of the chain view', () => {
  it.each([
    ['change', 'merged', 'change'],
    ['pipelinerun', 'finished', 'build'],
    ['artifact', 'published', 'artifact'],
    ['service', 'deployed', 'deploy'],
    ['service', 'upgraded', 'deploy'],
    ['testsuiterun', 'finished', 'test'],
    ['incident', 'detected', 'incident'],
    ['service', 'rolledback', 'rollback'],
    ['frobnicator', 'spun', 'other'],
    [null, null, 'other'],
  ])('%s.%s is in the %s stage', (subject, predicate, stage) => {
    expect(classifyStage(subject, predicate)).toBe(stage);
  });
});
