/**
 * History and deletion settings (HISTORY_RETENTION_DAYS, HISTORY_MAX_VERSIONS,
 * DELETED_RETENTION_DAYS) and what a write records because of them.
 */
import { DELETE_JOB_PATTERN, DELETE_JOB_RULE } from '../../contract/accountability-schemas';
import type { FastifyRequest } from 'fastify';
import { DELETE_JOB_HEADER } from '../../contract/accountability';
import { ApiError } from '../errors';
import type { Actor, WriteMeta } from '../store/accountability-types';

export interface HistorySettings {
  /** Days versions are kept; 0 keeps none. */
  historyDays: number;
  /** Versions kept per context. */
  maxVersions: number;
  /** Days a deleted context stays restorable; 0 makes deletes final. */
  deletedDays: number;
  /** How often the background pruning runs, ms. */
  pruneIntervalMs: number;
}

export const DAY_MS = 86_400_000;

/** The caller of a protected route as the actor of what it writes. */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (!principal) throw new Error('actorOf needs a protected route (no principal)');
  return { key_id: principal.keyId, name: principal.name, role: principal.role };
}


/** What a write by this request records, given the settings in force. */
export function writeMeta(request: FastifyRequest, settings: HistorySettings): WriteMeta {
  const job = request.headers[DELETE_JOB_HEADER];
  let deleteJob: string | null = null;
  if (typeof job === 'string' && job !== '') {
    if (!DELETE_JOB_PATTERN.test(job)) {
      throw new ApiError(400, 'invalid_query', `${DELETE_JOB_HEADER} ${DELETE_JOB_RULE}`, {
        fields: [DELETE_JOB_HEADER],
        issues: [{ field: DELETE_JOB_HEADER, message: DELETE_JOB_RULE }],
      });
    }
    deleteJob = job;
  }
  return {
    actor: actorOf(request),
    client_ip: request.ip,
    recordVersion: settings.historyDays > 0,
    keepDeleted: settings.deletedDays > 0,
    deleteJob,
  };
}
