import { screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing';
import { AlertDialog } from './alert-dialog';
import { Button } from './button';
import { Dialog } from './dialog';
import { Drawer } from './drawer';

function ControlledDrawer() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Open ctx_1</Button>
      <Drawer open={open} onOpenChange={setOpen} title="ctx_1" description="Context details">
        <p>body</p>
      </Drawer>
    </>
  );
}

describe('Dialog, Drawer, AlertDialog', () => {
  it('Dialog: named by its title, closes with Escape and returns focus to the trigger', async () => {
    const { user } = renderWithProviders(
      <Dialog trigger={<Button>Edit</Button>} title="Edit context" description="Change the JSON">
        <p>content</p>
      </Dialog>,
    );
    const trigger = screen.getByRole('button', { name: 'Edit' });
    await user.click(trigger);
    const dialog = screen.getByRole('dialog', { name: 'Edit context' });
    expect(dialog).toHaveAccessibleDescription('Change the JSON');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(trigger).toHaveFocus();
  });

  it('Drawer opened from state returns focus to the opener and has a close button', async () => {
    const { user } = renderWithProviders(<ControlledDrawer />);
    const opener = screen.getByRole('button', { name: 'Open ctx_1' });
    await user.click(opener);
    const drawer = screen.getByRole('dialog', { name: 'ctx_1' });
    expect(drawer).toHaveTextContent('body');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(opener).toHaveFocus();
  });

  it('AlertDialog: focus starts on Cancel; an async confirm shows busy then closes', async () => {
    let finish: () => void = () => undefined;
    const onConfirm = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { user } = renderWithProviders(
      <AlertDialog
        trigger={<Button variant="danger">Delete</Button>}
        title="Delete 3 contexts?"
        description="This cannot be undone."
        confirmLabel="Delete 3 contexts"
        onConfirm={onConfirm}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete 3 contexts?' });
    expect(dialog).toHaveAccessibleDescription('This cannot be undone.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Delete 3 contexts' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Delete 3 contexts' })).toHaveAttribute('aria-busy', 'true');
    finish();
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
  });

  it('AlertDialog: onCancel runs on Cancel and Escape, never after a confirm', async () => {
    const onCancel = vi.fn();
    const onConfirm = vi.fn(() => Promise.resolve());
    const { user } = renderWithProviders(
      <AlertDialog
        trigger={<Button>Sign out</Button>}
        title="Sign out?"
        description="Drafts go."
        confirmLabel="Discard and sign out"
        cancelLabel="Go back"
        onConfirm={onConfirm}
        onCancel={onCancel}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(screen.getByRole('button', { name: 'Go back' }));
    expect(onCancel).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(2);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(screen.getByRole('button', { name: 'Discard and sign out' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).toHaveBeenCalledTimes(2);
  });
});
