import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/testing';
import { CopyButton } from './copy-button';

describe('CopyButton', () => {
  it('copies the text and announces "Copied"', async () => {
    const { user } = renderWithProviders(<CopyButton text="ctx_01JD7K3M5Q8W9XYZ" label="Copy id ctx_01JD7K3M5Q8W9XYZ" />);
    const button = screen.getByRole('button', { name: 'Copy id ctx_01JD7K3M5Q8W9XYZ' });
    const status = screen.getByRole('status');
    expect(status).toBeEmptyDOMElement();

    await user.click(button);

    await waitFor(() => expect(status).toHaveTextContent('Copied'));
    expect(await navigator.clipboard.readText()).toBe('ctx_01JD7K3M5Q8W9XYZ');
    // The accessible name stays stable (the status is next to the button, not inside).
    expect(button).toHaveAccessibleName('Copy id ctx_01JD7K3M5Q8W9XYZ');
  });

  it('with visible text, shows "Copied" in the button too', async () => {
    const { user } = renderWithProviders(
      <CopyButton text='{"a":1}' label="Copy JSON">
        Copy JSON
      </CopyButton>,
    );
    await user.click(screen.getByRole('button', { name: 'Copy JSON' }));
    expect(await screen.findByText('Copied', { selector: '.ui-button__label' })).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe('{"a":1}');
  });
});
