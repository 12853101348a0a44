/**
 * Query keys of the history domain: versions of a context, recently deleted contexts and
 * the activity log. versions(id) → versionList(id) / version(id, n); deleted → deletedList(f);
 * audit → auditList(f).
 */
import type { AuditQueryInput, DeletedListQueryInput } from '@contract/accountability-types';

export const historyKeys = {
  all: ['history'] as const,
  versions: (id: string) => [...historyKeys.all, 'versions', id] as const,
  versionList: (id: string) => [...historyKeys.versions(id), 'list'] as const,
  version: (id: string, version: number) => [...historyKeys.versions(id), 'version', version] as const,
  deleted: () => [...historyKeys.all, 'deleted'] as const,
  deletedList: (filters: DeletedListQueryInput) => [...historyKeys.deleted(), 'list', filters] as const,
  audit: () => [...historyKeys.all, 'audit'] as const,
  auditList: (filters: AuditQueryInput) => [...historyKeys.audit(), 'list', filters] as const,
};
