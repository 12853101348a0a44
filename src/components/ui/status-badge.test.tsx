import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CONTEXT_STATUSES } from '@contract/constants';
import { STATUS_TONES, StatusBadge } from './status-badge';

describe('StatusBadge', () => {
  it('gives each of the six statuses a label and its own tone', () => {
    render(
      <>
        {CONTEXT_STATUSES.map((status) => (
          <StatusBadge key={status} status={status} />
        ))}
      </>,
    );
    for (const label of ['Idle', 'Running', 'Waiting for input', 'Interrupted', 'Completed', 'Failed']) {
      expect(screen.getByText(label)).toBeInTheDocument();
    }
    expect(new Set(Object.values(STATUS_TONES)).size).toBe(CONTEXT_STATUSES.length);
  });
});
