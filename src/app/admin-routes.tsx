/**
 * The admin pages (issue 11): API keys, Recently deleted, Activity. Each is its own lazily
 * loaded chunk (none is needed for the first load), shown to admins only; other roles get
 * an explanation instead (the server refuses them with 403 anyway).
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { Page } from '@/components/layout';
import { EmptyState, FullPageSpinner } from '@/components/ui';
import { useRole } from '@/features/auth';

const ApiKeysPage = lazy(() => import('@/features/api-keys/components/api-keys-page').then((m) => ({ default: m.ApiKeysPage })));
const RecentlyDeletedPage = lazy(() =>
  import('@/features/history/components/recently-deleted-page').then((m) => ({ default: m.RecentlyDeletedPage })),
);
const ActivityPage = lazy(() => import('@/features/history/components/activity-page').then((m) => ({ default: m.ActivityPage })));

function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const role = useRole();
  if (role !== 'admin') {
    return (
      <Page>
        <EmptyState headingLevel={1} title={title} description="Only admins can open this page. Sign in with an admin key." />
      </Page>
    );
  }
  return <Suspense fallback={<FullPageSpinner />}>{children}</Suspense>;
}

export const ApiKeysRoute = () => (
  <AdminOnly title="API keys">
    <ApiKeysPage />
  </AdminOnly>
);

export const RecentlyDeletedRoute = () => (
  <AdminOnly title="Recently deleted">
    <RecentlyDeletedPage />
  </AdminOnly>
);

export const ActivityRoute = () => (
  <AdminOnly title="Activity">
    <ActivityPage />
  </AdminOnly>
);
