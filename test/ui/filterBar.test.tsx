import { act, fireEvent, render, screen, within } from '@testing-library/react';
import * as React from 'react';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { FilterBar } from '../../src/ui/components/filters';
import { DEFAULT_VIEW, type ViewState } from '../../src/ui/viewState/viewState';
import { createFakeApi, guestbookApplication } from './fakeApi';
import { renderWithApi } from './renderWithApi';
import { stubLayout } from './stubLayout';

/** The bar with its state held here, as the tab holds it in the URL. */
function renderBar(initial: Partial<ViewState> = {}) {
  const seen: ViewState[] = [];
  function Harness() {
    const [view, setView] = React.useState<ViewState>({ ...DEFAULT_VIEW, ...initial });
    seen.push(view);
    return <FilterBar view={view} onChange={(change) => setView((current) => ({ ...current, ...change }))} />;
  }
  render(<Harness />);
  return { latest: () => seen[seen.length - 1]! };
}

function optionsOf(label: 'Subject' | 'Predicate'): string[] {
  const group = screen.getByRole('group', { name: label });
  return within(group)
    .getAllByRole('checkbox')
    .map((box) => box.closest('label')!.textContent!.trim());
}

describe('the filter bar', () => {
  it('offers every predicate while no subject is chosen', () => {
    renderBar();
    expect(optionsOf('Predicate')).toHaveLength(23);
  });

  // Regression: `change` offered all 23 predicates.
  it("narrows the predicates to the chosen subject's, as the spec defines them", () => {
    renderBar();
    fireEvent.click(within(screen.getByRole('group', { name: 'Subject' })).getByLabelText('change'));
    expect(optionsOf('Predicate')).toEqual(['created', 'reviewed', 'merged', 'abandoned', 'updated']);
  });

  it('drops a chosen predicate the newly chosen subjects do not have', () => {
    const { latest } = renderBar({ predicates: ['merged', 'deployed'] });
    fireEvent.click(within(screen.getByRole('group', { name: 'Subject' })).getByLabelText('service'));
    expect(latest()).toMatchObject({ subjects: ['service'], predicates: ['deployed'] });
  });

  // Regression: From after To showed a bare "No events match".
  it('says at the time fields that From is after To, and swaps them on request', () => {
    const { latest } = renderBar({ from: '2026-11-24T10:00:00.000Z', to: '2026-11-20T10:00:00.000Z' });
    const from = screen.getByLabelText('From');
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(from).toHaveAccessibleDescription(/From is after To, so no event can match/);
    expect(screen.getByLabelText('To')).toHaveAccessibleDescription(/From is after To/);
    fireEvent.click(screen.getByRole('button', { name: 'Swap From and To' }));
    expect(latest()).toMatchObject({ from: '2026-11-20T10:00:00.000Z', to: '2026-11-24T10:00:00.000Z' });
    expect(screen.queryByText(/From is after To/)).toBeNull();
    expect(screen.getByLabelText('From')).not.toHaveAttribute('aria-invalid');
  });
});

describe('the empty timeline', () => {
  let restoreLayout: () => void;
  beforeEach(() => {
    restoreLayout = stubLayout();
  });
  afterEach(() => {
    restoreLayout();
    window.history.replaceState(null, '', '/');
  });

  it('names an inverted time range as the reason nothing matches', async () => {
    window.history.replaceState(null, '', '/?cde_from=2026-11-24T10:00:00.000Z&cde_to=2026-11-20T10:00:00.000Z');
    const api = createFakeApi();
    renderWithApi(api, <CDEventsTab application={guestbookApplication} />);
    await act(() => api.next().respond([]));
    expect(screen.getByRole('status')).toHaveTextContent('No events match: From is after To. Swap them or clear one.');
  });
});
