import * as React from 'react';

interface ErrorBoundaryProps {
  children?: React.ReactNode;
}

interface ErrorBoundaryState {
  error: Error | null;
}

/**
 * Argo CD renders the Application tab and app views without an error boundary, so a throw
 * in our code would blank the whole Application page. This keeps a failure inside our tab.
 */
export class ErrorBoundary extends React.Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('CDEvents extension failed to render:', error);
  }

  private readonly retry = () => this.setState({ error: null });

  override render() {
    if (this.state.error === null) return this.props.children ?? null;
    return (
      <div className="cdevents-root cdevents-crash" role="alert">
        <p className="cdevents-crash__title">The CDEvents tab stopped because of an error.</p>
        <p className="cdevents-crash__detail">{this.state.error.message}</p>
        <button type="button" className="argo-button argo-button--base-o" onClick={this.retry}>
          Try again
        </button>
      </div>
    );
  }
}
