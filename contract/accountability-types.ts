/**
 * Types of the accountability endpoints (issue 11), inferred from their zod schemas.
 * `import type` from here costs the dashboard nothing at run time.
 */
import type { z } from 'zod';
import type {
  actorSchema,
  apiKeySchema,
  auditEventSchema,
  auditQuerySchema,
  contextVersionSchema,
  createKeyBodySchema,
  createdKeySchema,
  deletedContextSchema,
  deletedListQuerySchema,
  versionEntrySchema,
} from './accountability-schemas';

export type Actor = z.infer<typeof actorSchema>;
export type ApiKeyInfo = z.infer<typeof apiKeySchema>;
export type CreateKeyBody = z.input<typeof createKeyBodySchema>;
export type CreatedKey = z.infer<typeof createdKeySchema>;
export type VersionEntry = z.infer<typeof versionEntrySchema>;
export type ContextVersion = z.infer<typeof contextVersionSchema>;
export type DeletedContext = z.infer<typeof deletedContextSchema>;
export type DeletedListQuery = z.output<typeof deletedListQuerySchema>;
export type DeletedListQueryInput = z.input<typeof deletedListQuerySchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
