/**
 * Signing out on a shared computer must leave nothing of the contexts behind (issue 12):
 * unsaved editor drafts live in sessionStorage and would greet the next person at this
 * tab. So sign-out first lists the unsaved drafts, and when there are any asks (an alert
 * dialog: "Go back to drafts" / "Discard drafts and sign out"); once the server has ended
 * the session it removes the drafts (`discardLocalData`) and resets the query client.
 *
 * The auth feature does not know about drafts: the app passes in how to find and remove
 * them (src/app/app.tsx wires the context editor's draft storage).
 */
import { useCallback, useState } from 'react';
import { describeError, toast } from '@/components/ui';
import { useSignOut } from '../api/sign-out';

export interface SignOutFlowOptions {
  /** Ids of the contexts with unsaved drafts in this tab, asked at each sign-out. */
  unsavedDrafts: () => string[];
  /** Removes drafts and any other browser-side data of contexts. Runs after the server said yes. */
  discardLocalData: () => void;
  /** "Go back to drafts" was chosen: e.g. show the first draft's context. */
  onReturnToDrafts?: (contextIds: string[]) => void;
}

export interface SignOutFlow {
  /** The header's Sign out button: warns about drafts first, or signs out at once. */
  requestSignOut: () => void;
  signingOut: boolean;
  /** While the warning is up: the contexts with unsaved drafts. null otherwise. */
  unsavedContextIds: string[] | null;
  /** "Discard drafts and sign out". Rejects (dialog stays, a toast says why) when it fails. */
  confirmDiscard: () => Promise<void>;
  /** "Go back to drafts" (also Escape): closes the warning, nothing is removed. */
  returnToDrafts: () => void;
}

/** Loads the warning dialog's chunk (it stays out of the first load). */
export const loadSignOutWarning = () => import('../components/sign-out-warning');

export function useSignOutFlow({ unsavedDrafts, discardLocalData, onReturnToDrafts }: SignOutFlowOptions): SignOutFlow {
  const signOut = useSignOut({ onSignedOut: discardLocalData });
  const [unsavedContextIds, setUnsavedContextIds] = useState<string[] | null>(null);
  const { mutateAsync } = signOut;

  const signOutNow = useCallback(async () => {
    try {
      await mutateAsync();
    } catch (error) {
      toast.error('Could not sign out', { description: describeError(error).message });
      throw error;
    }
  }, [mutateAsync]);

  const requestSignOut = useCallback(() => {
    const ids = unsavedDrafts();
    if (ids.length === 0) {
      signOutNow().catch(() => undefined); // reported by the toast
      return;
    }
    void loadSignOutWarning();
    setUnsavedContextIds(ids);
  }, [signOutNow, unsavedDrafts]);

  const returnToDrafts = useCallback(() => {
    const ids = unsavedContextIds;
    setUnsavedContextIds(null);
    if (ids) onReturnToDrafts?.(ids);
  }, [onReturnToDrafts, unsavedContextIds]);

  return {
    requestSignOut,
    signingOut: signOut.isPending,
    unsavedContextIds,
    confirmDiscard: signOutNow,
    returnToDrafts,
  };
}
