import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { apiData } from '@/lib/api-client';
import { reportServerAvailable } from '@/lib/server-availability';
import { server } from '@/testing';
import { ServerUnavailableBanner } from './server-unavailable-banner';

afterEach(() => {
  act(() => reportServerAvailable());
  vi.useRealTimers();
});

describe('ServerUnavailableBanner', () => {
  it('appears on a 503 unavailable answer, probes, and disappears once the server is back', async () => {
    server.use(
      http.get('/api/ai/execution-contexts', () =>
        HttpResponse.json(
          { error: { code: 'unavailable', message: 'the server cannot reach its database right now; retry shortly' } },
          { status: 503, headers: { 'Retry-After': '1' } },
        ),
      ),
    );
    let healthy = false;
    const probe = vi.fn(async () => healthy);
    render(<ServerUnavailableBanner probe={probe} />);
    expect(screen.queryByRole('alert')).toBeNull();

    await expect(apiData('/ai/execution-contexts')).rejects.toMatchObject({ status: 503, code: 'unavailable', retryAfterSeconds: 1 });
    expect(await screen.findByRole('alert')).toHaveTextContent('Server unavailable, retrying…');

    // Still down at the first probe; up at a later one.
    await vi.waitFor(() => expect(probe).toHaveBeenCalled(), { timeout: 3000 });
    expect(screen.getByRole('alert')).toBeInTheDocument();
    healthy = true;
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), { timeout: 3000 });
  });

  it('is not shown for other errors (a 500 or a 429 is not an outage)', async () => {
    server.use(
      http.get('/api/ai/execution-contexts', () =>
        HttpResponse.json({ error: { code: 'internal_error', message: 'boom' } }, { status: 500 }),
      ),
    );
    render(<ServerUnavailableBanner probe={async () => false} />);
    await expect(apiData('/ai/execution-contexts')).rejects.toMatchObject({ status: 500 });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
