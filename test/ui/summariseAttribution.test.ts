import { describePurl } from '../../src/ui/format/describePurl';
import { summariseAttribution } from '../../src/ui/timeline/summariseAttribution';

// The purls and sentences the backend sends for the demo's auth (src/backend/chains/receivedRules.ts).
const digest1140 = 'sha256%3A34e6ca7f8e48397209daa1be0456d0a92a6454fccc7af70a8519926bcb6caa0e';
const auth1140 = `pkg:oci/auth@${digest1140}?repository_url=ghcr.io/example-org/auth&tag=1.14.0`;
const auth1132 =
  'pkg:oci/auth@sha256%3Aed61bfc45245ccfc87f1a5f7188699f29e7c0c4714e46f4828a61528f21a7e09?repository_url=ghcr.io/example-org/auth&tag=1.13.2';

describe('a purl as a person reads it', () => {
  it.each([
    ['a digest with its tag', auth1140, 'auth 1.14.0'],
    ['a digest without a tag', `pkg:oci/auth@${digest1140}`, 'auth sha256:34e6ca7f8e48'],
    ['a plain version', 'pkg:helm/charts/store@4.2.0', 'store 4.2.0'],
    ['no version', 'pkg:github/example-org/auth', 'auth'],
    ['something that is not a purl', 'ghcr.io/example-org/auth:1.0', 'ghcr.io/example-org/auth:1.0'],
  ])('names %s', (_label, purl, expected) => {
    expect(describePurl(purl)).toBe(expected);
  });
});

describe('why a received event is here, in a few words', () => {
  it.each([
    [
      'an artifact the app deploys',
      'artifact',
      `artifact ${auth1140} is deployed by this app`,
      'artifact auth 1.14.0 deployed here',
    ],
    [
      'another version of what it deploys',
      'artifact',
      `artifact ${auth1140} is a version of ${auth1132}, which this app deploys`,
      'artifact auth 1.14.0, a version of auth 1.13.2 deployed here',
    ],
    [
      'a change at the deployed revision',
      'source',
      'change on github.com/example-org/auth at 3c78c5b2056539eff7bd3a6ed518a31e71c0f546, the revision this app deploys',
      'change at 3c78c5b, deployed here',
    ],
    [
      'a pipeline run on the source repository',
      'source',
      "pipeline run on github.com/example-org/auth, this app's source repository",
      "pipeline run on this app's repository",
    ],
    [
      'an incident in the destination',
      'environment',
      "incident in https://prod-eu1.k8s.example.com/auth, this app's destination",
      "incident in this app's destination",
    ],
    [
      'an artifact another tool reported deploying here',
      'artifact',
      `artifact ${auth1140} is deployed by this app, as https://flagger.example.com/canary reported`,
      'artifact auth 1.14.0 deployed here (as https://flagger.example.com/canary reported)',
    ],
    [
      'an incident in a destination another tool reported',
      'environment',
      "incident in prod-eu1, this app's destination, as /ci/deployer reported",
      "incident in this app's destination (as /ci/deployer reported)",
    ],
    [
      'an incident naming the app’s service',
      'service',
      "names this app's service argocd/auth",
      "names this app's service",
    ],
    [
      'a sentence of another shape',
      'trigger',
      'triggered service rolledback of this app',
      'triggered service rolledback of this app',
    ],
  ] as const)('for %s', (_label, rule, detail, expected) => {
    expect(summariseAttribution({ rule, detail })).toBe(expected);
  });
});
