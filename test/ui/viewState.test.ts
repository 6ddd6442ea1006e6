import { act, renderHook } from '@testing-library/react';
import {
  DEFAULT_VIEW,
  parseViewState,
  toEventListQuery,
  useViewState,
  type ViewState,
  writeViewState,
} from '../../src/ui/viewState';

describe('the view state in the URL', () => {
  const full: ViewState = {
    section: 'triggers',
    direction: 'received',
    subjects: ['artifact', 'change'],
    predicates: ['published', 'merged'],
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-24T00:00:00.000Z',
    q: 'guestbook v2',
    event: 'ZXZlbnQ',
  };

  it('survives a round trip through the query string', () => {
    expect(parseViewState(writeViewState('', full))).toEqual(full);
  });

  it("keeps Argo CD's own parameters (tab, view, node) as they were", () => {
    const search = writeViewState(
      '?view=tree&tab=extension-0&node=argoproj.io%2FApplication%2Fargocd%2Fguestbook',
      full,
    );
    const params = new URLSearchParams(search);
    expect(params.get('view')).toBe('tree');
    expect(params.get('tab')).toBe('extension-0');
    expect(params.get('node')).toBe('argoproj.io/Application/argocd/guestbook');
    expect(params.get('cde_dir')).toBe('received');
    expect(params.get('cde_section')).toBe('triggers');
  });

  it('removes its own keys when the view is back to the default', () => {
    expect(writeViewState('?view=tree&cde_dir=emitted&cde_q=x&cde_section=triggers', DEFAULT_VIEW)).toBe('?view=tree');
  });

  it.each([
    ['an unknown direction', '?cde_dir=sideways', { direction: 'all' }],
    ['an unknown section', '?cde_section=settings', { section: 'events' }],
    ['a time that does not parse', '?cde_from=yesterday', { from: undefined }],
    [
      'subjects with odd characters',
      '?cde_subject=artifact,%3Cscript%3E,Service',
      { subjects: ['artifact', 'service'] },
    ],
  ])('falls back to the default for %s', (_name, search, expected) => {
    expect(parseViewState(search)).toMatchObject(expected);
  });

  it('turns the view into the backend query, leaving out what is not set', () => {
    expect(toEventListQuery(full)).toEqual({
      direction: 'received',
      subject: ['artifact', 'change'],
      predicate: ['published', 'merged'],
      from: full.from,
      to: full.to,
      q: 'guestbook v2',
    });
    expect(toEventListQuery(DEFAULT_VIEW)).toEqual({
      direction: undefined,
      subject: undefined,
      predicate: undefined,
      from: undefined,
      to: undefined,
      q: undefined,
    });
  });

  it('writes changes with replaceState, keeping history.state for the host router', () => {
    window.history.replaceState({ key: 'router-key' }, '', '/applications/argocd/guestbook?view=tree');
    const lengthBefore = window.history.length;
    const { result } = renderHook(() => useViewState());
    act(() => result.current[1]({ direction: 'emitted', subjects: ['service'] }));
    expect(window.location.search).toBe('?view=tree&cde_dir=emitted&cde_subject=service');
    expect(window.history.state).toEqual({ key: 'router-key' });
    expect(window.history.length).toBe(lengthBefore);
  });

  it('starts from the URL, so a copied link reproduces the view', () => {
    window.history.replaceState(null, '', `/applications/argocd/guestbook${writeViewState('?view=tree', full)}`);
    const { result } = renderHook(() => useViewState());
    expect(result.current[0]).toEqual(full);
  });
});
