import { buildApiUrl } from '../../src/ui/api';

describe('buildApiUrl', () => {
  it.each([
    ['a root install', 'https://argo.example.com/', 'https://argo.example.com/extensions/cdevents/api/v1/events/k'],
    [
      'an install under --rootpath /argocd',
      'https://argo.example.com/argocd/',
      'https://argo.example.com/argocd/extensions/cdevents/api/v1/events/k',
    ],
    [
      'a page deep inside the app (base href still wins)',
      'https://argo.example.com/argocd/',
      'https://argo.example.com/argocd/extensions/cdevents/api/v1/events/k',
    ],
  ])('resolves against the base href for %s', (_name, base, expected) => {
    expect(buildApiUrl(['events', 'k'], {}, base)).toBe(expected);
  });

  it('encodes each path segment so a name cannot climb out of its place', () => {
    const url = buildApiUrl(
      ['applications', 'team a', '../../secret?x=1#y', 'events'],
      {},
      'https://argo.example.com/argocd/',
    );
    expect(url).toBe(
      'https://argo.example.com/argocd/extensions/cdevents/api/v1/applications/team%20a/..%2F..%2Fsecret%3Fx%3D1%23y/events',
    );
  });

  it('drops undefined, null, empty strings and empty lists from the query and joins lists with commas', () => {
    const url = new URL(
      buildApiUrl(
        ['events'],
        {
          direction: 'received',
          subject: ['artifact', 'service'],
          predicate: [],
          q: '',
          from: undefined,
          to: null,
          limit: 50,
        },
        'https://argo.example.com/',
      ),
    );
    expect([...url.searchParams.entries()]).toEqual([
      ['direction', 'received'],
      ['subject', 'artifact,service'],
      ['limit', '50'],
    ]);
  });

  it('uses document.baseURI by default', () => {
    expect(buildApiUrl(['events'])).toBe(new URL('extensions/cdevents/api/v1/events', document.baseURI).toString());
  });
});
