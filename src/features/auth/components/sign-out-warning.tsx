/**
 * The warning before signing out with unsaved drafts (an alert dialog: it interrupts, and
 * focus starts on "Go back to drafts" so a stray Enter keeps the work). Loaded lazily by
 * SignOutWarning in ./sign-out-warning-slot.tsx: Radix stays out of the first load.
 */
import { AlertDialog } from '@/components/ui';
import './sign-out-warning.css';

/** How many ids the dialog names before "and N more". */
const SHOWN_IDS = 5;

export interface SignOutWarningDialogProps {
  /** The contexts with unsaved drafts (at least one). */
  contextIds: string[];
  onConfirm: () => Promise<void>;
  onReturn: () => void;
}

export default function SignOutWarningDialog({ contextIds, onConfirm, onReturn }: SignOutWarningDialogProps) {
  const count = contextIds.length;
  const shown = contextIds.slice(0, SHOWN_IDS);
  return (
    <AlertDialog
      open
      // Only a dismissal goes back to the drafts: after "Discard drafts and sign out" the
      // dialog closes too, and must not open a draft's context for the next person.
      onCancel={onReturn}
      title={count === 1 ? 'Sign out and discard your unsaved draft?' : `Sign out and discard ${count} unsaved drafts?`}
      description={
        count === 1
          ? 'You have unsaved edits to this context. Signing out removes them from this browser, so that nobody who uses it next can see them.'
          : `You have unsaved edits to ${count} contexts. Signing out removes them from this browser, so that nobody who uses it next can see them.`
      }
      confirmLabel="Discard drafts and sign out"
      cancelLabel="Go back to drafts"
      onConfirm={onConfirm}
    >
      <ul aria-label="Contexts with unsaved drafts" className="sign-out-warning__ids">
        {shown.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
        {count > shown.length && <li>and {count - shown.length} more</li>}
      </ul>
    </AlertDialog>
  );
}
