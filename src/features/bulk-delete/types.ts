import type { ContextStatus } from '@contract/constants';
import type { ExecutionContext } from '@contract/types';
import type { ContextListFilters } from '@/features/contexts/filters';
import type { DeleteOrigin } from './lib/delete-jobs';
import type { AllMatchingSelection } from './lib/selection';

/** A row as the confirmation needs it; status null: not in the loaded rows (unknown). */
export interface DeleteCandidate {
  id: string;
  status: ContextStatus | null;
}

/** What the confirmation dialog is asked to confirm. */
export type DeleteRequest =
  | {
      kind: 'ids';
      origin: DeleteOrigin;
      candidates: DeleteCandidate[];
      /** The list the ids were picked from (for the backup's page walk); null: ask by id. */
      filters: ContextListFilters | null;
      /** Index of the last candidate in that list's loaded rows; null: unknown. */
      lastIndex: number | null;
      /** Full contexts already at hand (the drawer's), for the backup. */
      known?: ReadonlyMap<string, ExecutionContext>;
    }
  | {
      kind: 'all_matching';
      origin: 'selection';
      selection: AllMatchingSelection<ContextListFilters>;
    };
