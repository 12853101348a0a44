import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { PanelErrorBoundary } from '@/components/ui';
import { ContextsPage } from '@/features/contexts/components/contexts-page';
import { ActivityRoute, ApiKeysRoute, RecentlyDeletedRoute } from './admin-routes';
import { NotFoundPage } from './not-found-page';

/**
 * The app's routes (wouter: ~2 KB, browser history). Filters and the open context live in
 * the query string of /contexts, so there are few paths.
 */
export function AppRoutes() {
  const [location] = useLocation();
  const search = useSearch();
  return (
    // A page that crashes shows an error in place of the page while the frame (sign-out,
    // navigation) keeps working; navigating elsewhere resets it.
    <PanelErrorBoundary title="This page failed to display" resetKeys={[location]}>
      <Switch>
        <Route path="/">
          {/* The query string goes along: an old or hand-made link `/?context=<id>` (or with
              filters) must still open what it names. */}
          <Redirect to={search ? `/contexts?${search}` : '/contexts'} replace />
        </Route>
        <Route path="/contexts">
          <ContextsPage />
        </Route>
        <Route path="/keys">
          <ApiKeysRoute />
        </Route>
        <Route path="/deleted">
          <RecentlyDeletedRoute />
        </Route>
        <Route path="/activity">
          <ActivityRoute />
        </Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
    </PanelErrorBoundary>
  );
}
