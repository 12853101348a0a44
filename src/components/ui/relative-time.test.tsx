import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing';
import { RelativeTime } from './relative-time';

describe('RelativeTime', () => {
  afterEach(() => vi.useRealTimers());

  it('shows relative text in a <time> and the exact time on keyboard focus', async () => {
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    const { user } = renderWithProviders(<RelativeTime date={fiveMinutesAgo} />);
    const time = screen.getByText('5 minutes ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', fiveMinutesAgo);
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    // The exact time is its accessible description even without the tooltip showing.
    expect(time).toHaveAccessibleDescription(new RegExp(fiveMinutesAgo.replace(/[.]/g, '\\.')));

    await user.tab();
    expect(time).toHaveFocus();
    const tooltip = screen.getByRole('tooltip');
    expect(tooltip).toBeVisible();
    expect(tooltip).toHaveTextContent(fiveMinutesAgo);
    expect(tooltip).toHaveTextContent(String(new Date(fiveMinutesAgo).getFullYear()));

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('shows the tooltip on hover too, and hides it on leave', async () => {
    const { user } = renderWithProviders(<RelativeTime date="2020-01-01T00:00:00Z" />);
    const time = screen.getByText(/years ago/);
    await user.hover(time);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('2020-01-01T00:00:00.000Z');
    await user.unhover(time);
    await vi.waitFor(() => expect(screen.queryByRole('tooltip')).not.toBeInTheDocument());
  });

  it('updates as time passes', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-22T12:00:00Z') });
    renderWithProviders(<RelativeTime date="2026-11-22T11:59:30Z" />);
    expect(screen.getByText('just now')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(90_000));
    expect(screen.getByText('2 minutes ago')).toBeInTheDocument();
  });
});
