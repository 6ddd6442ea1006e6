import { isOwnEmittedEvent } from '../../src/backend/triggers/isOwnEmittedEvent';

const auth = { instance: 'default', namespace: 'argocd', name: 'auth' };

describe("isOwnEmittedEvent: inbound rules skip their own app's emitted events", () => {
  it.each([
    ["auth's own deployment", '/argocd/default/argocd', 'argocd/auth', true],
    ["another app's deployment", '/argocd/default/argocd', 'argocd/portal', false],
    ["auth's deployment on another Argo CD instance", '/argocd/west/argocd', 'argocd/auth', false],
    ['an app of the same name in another namespace', '/argocd/default/team-a', 'team-a/auth', false],
    ['a tool naming auth as its subject (received)', 'https://ci.example.com', 'argocd/auth', false],
    ['an emitted event without a subject id', '/argocd/default/argocd', null, false],
  ])('%s → %s', (_name, source, subjectId, expected) => {
    expect(isOwnEmittedEvent(auth, { source, subjectId })).toBe(expected);
  });
});
