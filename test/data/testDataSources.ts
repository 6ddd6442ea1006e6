/**
 * Where the suite's external test data comes from: each public repository at a
 * pinned commit (the tag, where there is one, is named for people), and which of
 * its files land where under the data root. The layout under the root is the
 * one ../shared has, so the three places the resolver looks in are
 * interchangeable. Every file placed here is listed in test-data.sha256.
 */

/** One public repository at one commit, and the files taken from it. */
export interface TestDataSource {
  /** owner/name on GitHub. */
  repository: string;
  /** The release tag or branch the commit was taken from, for people; the commit is what is fetched. */
  ref: string;
  commit: string;
  /** Each repository path matching `keep` goes to `into` + the path after `from`. */
  placements: Placement[];
}

export interface Placement {
  /** A folder prefix in the repository ('' for its root), or one file's path. */
  from: string;
  /** The matching folder (ending in /) or file under the data root. */
  into: string;
  /** Only paths below `from` that match this are kept (whole path after `from`). */
  keep?: RegExp;
}

/** The spec's schemas, links and conformance events (0.3.0 had examples/ in their place). */
const SPEC_FILES =
  /^(LICENSE|schemas\/.*\.json|conformance\/[^/]*\.json|custom\/(schema|conformance)\.json|examples\/[^/]*\.json)$/;

function specRelease(tag: string, commit: string): TestDataSource {
  return {
    repository: 'cdevents/spec',
    ref: tag,
    commit,
    placements: [{ from: '', into: `cdevents-spec/${tag}/`, keep: SPEC_FILES }],
  };
}

export const TEST_DATA_SOURCES: readonly TestDataSource[] = [
  specRelease('v0.3.0', '2b63793165fa609d3a3b954ce71957209e79475e'),
  specRelease('v0.4.1', 'f95df21d7e3045a37d2c85e07f90805130fd65be'),
  specRelease('v0.5.0', '78e5ee85b3e094de0a06aeb6b44c62e4dab2148d'),
  specRelease('v0.5.1', 'df02ce0b6563a13bf35cc109993b03b18da8a14a'),
  {
    // Real Argo CD notification payloads captured by cdviz, and CDEvents other tools produced.
    repository: 'cdviz-dev/transformers-community',
    ref: 'main',
    commit: '8b1c820bfdd85be87c61c448b32444e6ec2951ce',
    placements: [
      {
        from: '',
        into: 'cdevents-corpus/cdviz-transformers-community/',
        keep: /^(LICENSE|argocd_notifications\/(inputs|outputs)\/.+|github_events\/outputs\/.+|kubewatch_cloudevents\/outputs\/.+)$/,
      },
    ],
  },
  {
    // The argo-cdviz demo's notification templates (Helm values for the argo-cd chart).
    repository: 'argo-multiverse-labs/local-cluster',
    ref: 'main',
    commit: 'd4545bfac790d3918830349003ac9f192862180a',
    placements: [
      { from: 'argo-cdviz/argocd/notifications-cdevents.yaml', into: 'argo-cdviz/main/notifications-cdevents.yaml' },
      { from: 'LICENSE', into: 'argo-cdviz/LICENSE' },
    ],
  },
];

/**
 * The folders a data root must hold for the suite. `argo-cdviz/rendered` is made
 * from the others (deriveRenderedFixtures.ts) where it is not already there.
 */
export const REQUIRED_FOLDERS = [
  'cdevents-spec/v0.3.0/schemas',
  'cdevents-spec/v0.4.1/conformance',
  'cdevents-spec/v0.5.0/conformance',
  'cdevents-spec/v0.5.1/conformance',
  'cdevents-corpus/cdviz-transformers-community/argocd_notifications/inputs/captured',
  'argo-cdviz/main',
  'argo-cdviz/rendered/apps',
  'argo-cdviz/rendered/bodies',
] as const;

/** Where a repository path goes under the data root, or undefined when it is not kept. */
export function placeRepositoryPath(source: TestDataSource, repositoryPath: string): string | undefined {
  for (const placement of source.placements) {
    if (placement.from !== '' && !placement.from.endsWith('/') && repositoryPath === placement.from) {
      return placement.into;
    }
    const prefix = placement.from === '' || placement.from.endsWith('/') ? placement.from : `${placement.from}/`;
    if (!repositoryPath.startsWith(prefix) || repositoryPath === prefix) continue;
    const rest = repositoryPath.slice(prefix.length);
    if (placement.keep && !placement.keep.test(rest)) continue;
    if (placement.into.endsWith('/')) return placement.into + rest;
  }
  return undefined;
}

/** The inverse of placeRepositoryPath, for building an archive from a data root. */
export function repositoryPathOf(source: TestDataSource, dataPath: string): string | undefined {
  for (const placement of source.placements) {
    if (!placement.into.endsWith('/')) {
      if (dataPath === placement.into) return placement.from;
      continue;
    }
    if (!dataPath.startsWith(placement.into)) continue;
    const rest = dataPath.slice(placement.into.length);
    if (placement.keep && !placement.keep.test(rest)) continue;
    return placement.from + rest;
  }
  return undefined;
}

/** GitHub's source archive of one commit: a .tar.gz whose single top folder is `{name}-{commit}/`. */
export function archiveUrl(source: TestDataSource, baseUrl = 'https://github.com'): string {
  return `${baseUrl.replace(/\/$/, '')}/${source.repository}/archive/${source.commit}.tar.gz`;
}
