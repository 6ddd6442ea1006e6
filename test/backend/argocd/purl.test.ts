import {
  PurlParseError,
  buildArtifactIds,
  buildGitPurl,
  buildHelmPurl,
  buildImagePurl,
  formatPurl,
  isSamePackage,
  isVersionOf,
  normalisePurl,
  parsePurl,
} from '../../../src/backend/argocd';

describe('container images', () => {
  it.each([
    [
      'a tag on GHCR',
      'ghcr.io/stefanprodan/podinfo:6.9.2',
      'pkg:oci/podinfo@6.9.2?repository_url=ghcr.io/stefanprodan/podinfo',
    ],
    [
      'a Docker Hub user image',
      'robustadev/kubewatch:v2.9.0',
      'pkg:oci/kubewatch@v2.9.0?repository_url=docker.io/robustadev/kubewatch',
    ],
    ['a Docker Hub official image without tag', 'nginx', 'pkg:oci/nginx@latest?repository_url=docker.io/library/nginx'],
    [
      'a digest, keeping the tag as a qualifier',
      'ghcr.io/org/app:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'pkg:oci/app@sha256%3A0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef?repository_url=ghcr.io/org/app&tag=1.2.3',
    ],
    ['a registry with a port', 'localhost:5000/team/app:dev', 'pkg:oci/app@dev?repository_url=localhost:5000/team/app'],
    [
      'upper case in the name',
      'Registry.Example.com/Team/App:1',
      'pkg:oci/app@1?repository_url=registry.example.com/team/app',
    ],
  ])('%s', (_name, image, expected) => {
    expect(buildImagePurl(image)).toBe(expected);
  });

  it.each([[''], ['has space:1'], ['app@notadigest']])('refuses %j', (image) => {
    expect(buildImagePurl(image)).toBeUndefined();
  });
});

describe('Helm charts and git repositories', () => {
  it.each([
    [
      'an OCI chart repository without scheme',
      { chart: 'podinfo', version: '6.9.0', repositoryUrl: 'ghcr.io/stefanprodan/charts' },
      'pkg:helm/podinfo@6.9.0?repository_url=ghcr.io/stefanprodan/charts',
    ],
    [
      'an oci:// repository with a trailing slash',
      { chart: 'podinfo', version: '6.9.0', repositoryUrl: 'oci://ghcr.io/stefanprodan/charts/' },
      'pkg:helm/podinfo@6.9.0?repository_url=oci://ghcr.io/stefanprodan/charts',
    ],
    [
      'a classic HTTP repository',
      { chart: 'redis', version: '18.1.0', repositoryUrl: 'https://charts.bitnami.com/bitnami' },
      'pkg:helm/redis@18.1.0?repository_url=https://charts.bitnami.com/bitnami',
    ],
  ])('chart from %s', (_name, input, expected) => {
    expect(buildHelmPurl(input)).toBe(expected);
  });

  const sha = '94fcc5e8673e0d2d7fbca6b1c6c455ba308314fc';
  it.each([
    [
      'github.com over https, with a path',
      { repoURL: 'https://github.com/cdviz-dev/demo-cluster', revision: sha, path: '4-k8s-gitops' },
      `pkg:github/cdviz-dev/demo-cluster@${sha}#4-k8s-gitops`,
    ],
    [
      'github.com over ssh, case folded',
      { repoURL: 'git@github.com:CDviz-Dev/Demo-Cluster.git', revision: sha },
      `pkg:github/cdviz-dev/demo-cluster@${sha}`,
    ],
    [
      'gitlab.com with a subgroup',
      { repoURL: 'https://gitlab.com/group/sub/app.git', revision: sha, path: '.' },
      `pkg:gitlab/group/sub/app@${sha}`,
    ],
    [
      'any other host',
      { repoURL: 'https://git.example.com/team/app.git', revision: sha },
      `pkg:generic/app@${sha}?vcs_url=git%2Bhttps://git.example.com/team/app.git`,
    ],
    [
      'another host over scp-like ssh',
      { repoURL: 'git@git.example.com:team/app.git', revision: sha },
      `pkg:generic/app@${sha}?vcs_url=git%2Bssh://git%40git.example.com/team/app.git`,
    ],
  ])('repository on %s', (_name, input, expected) => {
    expect(buildGitPurl(input)).toBe(expected);
  });
});

describe('parsing and comparing', () => {
  it.each([
    'pkg:oci/podinfo@sha256%3Aabc?repository_url=ghcr.io/stefanprodan/podinfo&tag=6.9.2',
    'pkg:github/cdviz-dev/demo-cluster@94fcc5e8#4-k8s-gitops',
    'pkg:generic/app@1?vcs_url=git%2Bhttps://git.example.com/team/app.git',
    'pkg:helm/podinfo@6.9.0?repository_url=oci://ghcr.io/stefanprodan/charts',
  ])('round-trips %s', (purl) => {
    expect(formatPurl(parsePurl(purl))).toBe(purl);
  });

  it('reads the unencoded spelling of a digest as the same purl', () => {
    expect(normalisePurl('pkg:oci/app@sha256:abc?tag=1&repository_url=ghcr.io/org/app')).toBe(
      'pkg:oci/app@sha256%3Aabc?repository_url=ghcr.io/org/app&tag=1',
    );
  });

  it.each([['npm/left-pad'], ['pkg:'], ['pkg:npm'], ['pkg:1bad/x'], ['pkg:npm/%zz']])(
    'refuses %j with a message',
    (text) => {
      expect(() => parsePurl(text)).toThrow(PurlParseError);
    },
  );

  it.each([
    [
      'a versioned purl is a version of its package',
      'pkg:oci/app@1.2?repository_url=ghcr.io/org/app',
      'pkg:oci/app',
      true,
    ],
    ['the same version', 'pkg:helm/podinfo@6.9.0', 'pkg:helm/podinfo@6.9.0?repository_url=x', true],
    ['another version of a versioned base', 'pkg:helm/podinfo@6.9.2', 'pkg:helm/podinfo@6.9.0', false],
    ['another name', 'pkg:oci/app2@1', 'pkg:oci/app', false],
    ['another type', 'pkg:helm/app@1', 'pkg:oci/app', false],
    ['case-insensitive GitHub names', 'pkg:github/CDviz-Dev/Demo@abc', 'pkg:github/cdviz-dev/demo', true],
    ['not a purl', 'sha256:abc', 'pkg:oci/app', false],
  ])('isVersionOf: %s', (_name, candidate, base, expected) => {
    expect(isVersionOf(candidate, base)).toBe(expected);
  });

  it('isSamePackage ignores versions, qualifiers and subpaths', () => {
    expect(isSamePackage('pkg:github/a/b@1#x', 'pkg:github/a/b@2?foo=bar')).toBe(true);
  });
});

describe("an app's artifacts", () => {
  it('gives a service event an artifactId even when the app names no usable source', () => {
    expect(buildArtifactIds({ appName: 'lonely', sources: [], revisions: ['abc'] }).primary).toBe(
      'pkg:generic/lonely@abc',
    );
  });

  it('does not take a values-only source as the deployed artifact', () => {
    const ids = buildArtifactIds({
      appName: 'web',
      sources: [
        { repoURL: 'https://github.com/org/values', ref: 'values' },
        { repoURL: 'ghcr.io/org/charts', chart: 'web', targetRevision: '1.0.0' },
      ],
      revisions: ['0123abcd', '1.0.0'],
    });
    expect(ids.primary).toBe('pkg:helm/web@1.0.0?repository_url=ghcr.io/org/charts');
    expect(ids.all).toContain('pkg:github/org/values@0123abcd');
  });
});
