import { screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PanelErrorBoundary } from '@/components/ui';
import { renderWithProviders } from '@/testing';
import { AppErrorBoundary } from './app-error-boundary';

function Boom({ message = 'kaboom' }: { message?: string }): never {
  throw new Error(message);
}

describe('error boundaries', () => {
  beforeEach(() => {
    // React logs caught render errors; keep the test output readable.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('app level: shows a friendly fallback with a reload button', async () => {
    const reload = vi.fn();
    const original = window.location;
    Object.defineProperty(window, 'location', { configurable: true, value: { ...original, reload } });
    try {
      const { user } = renderWithProviders(
        <AppErrorBoundary>
          <Boom message="render exploded" />
        </AppErrorBoundary>,
      );
      expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong');
      expect(screen.getByText('render exploded')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Reload the page' }));
      expect(reload).toHaveBeenCalled();
    } finally {
      Object.defineProperty(window, 'location', { configurable: true, value: original });
    }
  });

  it('panel level: contains the failure and recovers on "Try again"', async () => {
    function Panel() {
      const [broken, setBroken] = useState(true);
      return (
        <>
          <p>outside still works</p>
          <button type="button" onClick={() => setBroken(false)}>
            fix it
          </button>
          <PanelErrorBoundary title="Details failed to display" onReset={() => undefined}>
            {broken ? <Boom /> : <p>panel content</p>}
          </PanelErrorBoundary>
        </>
      );
    }
    const { user } = renderWithProviders(<Panel />);
    expect(screen.getByRole('heading', { name: 'Details failed to display' })).toBeInTheDocument();
    expect(screen.getByText('outside still works')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'fix it' }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('panel content')).toBeInTheDocument();
  });
});
