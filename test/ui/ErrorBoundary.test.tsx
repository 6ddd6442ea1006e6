import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { ErrorBoundary } from '../../src/ui/components/ErrorBoundary';

function Thrower({ when }: { when: { throw: boolean } }): React.ReactElement {
  if (when.throw) throw new Error('payload.subject is undefined');
  return <p>rendered fine</p>;
}

describe('ErrorBoundary', () => {
  let error: jest.SpyInstance;
  beforeEach(() => {
    // React and the boundary report the error on the console; that is expected here.
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => error.mockRestore());

  it('shows our message instead of a blank page when a child throws', () => {
    render(
      <ErrorBoundary>
        <Thrower when={{ throw: true }} />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('The CDEvents tab stopped because of an error.');
    expect(screen.getByRole('alert')).toHaveTextContent('payload.subject is undefined');
    expect(error).toHaveBeenCalledWith('CDEvents extension failed to render:', expect.any(Error));
  });

  it('renders the child again after "Try again" once the cause is gone', () => {
    const when = { throw: true };
    render(
      <ErrorBoundary>
        <Thrower when={when} />
      </ErrorBoundary>,
    );
    when.throw = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('rendered fine')).toBeInTheDocument();
  });
});
