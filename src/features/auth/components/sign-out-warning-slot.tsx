import { lazy, Suspense } from 'react';
import type { SignOutFlow } from '../hooks/use-sign-out-flow';
import { loadSignOutWarning } from '../hooks/use-sign-out-flow';

const SignOutWarningDialog = lazy(loadSignOutWarning);

/**
 * Renders the sign-out warning while `flow` asks for it (place it once, inside the
 * signed-in frame). Nothing is fetched until a sign-out finds unsaved drafts.
 */
export function SignOutWarning({ flow }: { flow: SignOutFlow }) {
  if (flow.unsavedContextIds === null) return null;
  return (
    <Suspense fallback={null}>
      <SignOutWarningDialog contextIds={flow.unsavedContextIds} onConfirm={flow.confirmDiscard} onReturn={flow.returnToDrafts} />
    </Suspense>
  );
}
