import { screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/testing';
import { AppFrame } from './app-frame';
import { HeaderStatus } from './header-status';

function Page() {
  const [running, setRunning] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setRunning(false)}>
        finish
      </button>
      {running && (
        <HeaderStatus>
          <span role="status">Deleting 3 of 10</span>
        </HeaderStatus>
      )}
    </>
  );
}

describe('HeaderStatus', () => {
  it('renders a page’s indicator in the header while it is mounted', async () => {
    const { user } = renderWithProviders(
      <AppFrame role="admin" onSignOut={() => undefined} theme="system" onThemeChange={() => undefined}>
        <Page />
      </AppFrame>,
    );
    const header = screen.getByRole('banner');
    expect(within(header).getByRole('status')).toHaveTextContent('Deleting 3 of 10');
    await user.click(screen.getByRole('button', { name: 'finish' }));
    expect(within(header).queryByRole('status')).not.toBeInTheDocument();
  });
});
