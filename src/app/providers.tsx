import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Toaster, toast } from '@/components/ui';
import { createQueryClient } from './query-client';
import { ThemeProvider, useTheme } from './theme';

function ThemedToaster() {
  const { resolved } = useTheme();
  return <Toaster theme={resolved} />;
}

export interface AppProvidersProps {
  children: ReactNode;
  /** Tests pass their own client; the app makes one for its lifetime. */
  queryClient?: QueryClient;
}

/** Everything the app and its tests need around them: theme, data, toasts. */
export function AppProviders({ children, queryClient }: AppProvidersProps) {
  const [client] = useState(
    () =>
      queryClient ??
      createQueryClient({
        onSessionExpired: () => toast.info('Your session has ended', { description: 'Sign in again to continue.' }),
      }),
  );
  return (
    <ThemeProvider>
      <QueryClientProvider client={client}>
        {children}
        <ThemedToaster />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
