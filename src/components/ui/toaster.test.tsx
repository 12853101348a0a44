import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { loadSonner, toast } from './toast';
import { Toaster } from './toaster';

describe('Toaster', () => {
  it('mounts nothing until the first toast, then shows it (raised before sonner loaded)', async () => {
    render(<Toaster theme="light" />);
    // Even once sonner is in memory, no Toaster is mounted before a toast is raised (in the
    // app, a visit that raises none never downloads sonner).
    await act(async () => {
      await loadSonner();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(screen.queryByRole('region', { name: /Notifications/ })).not.toBeInTheDocument();
    act(() => toast.success('Saved', { description: 'ctx_1 is at version 2' }));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(screen.getByText('ctx_1 is at version 2')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: /Notifications/ })).toBeInTheDocument();
  });
});
