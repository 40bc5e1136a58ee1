import { z } from '@hono/zod-openapi';
import { auditLog } from '../db/schema.ts';
import { createSelectSchema, isoDateParam, isoTimeText } from '../openapi.ts';

/** Which entries a reader asks for; the dates arrive as text and are read as Dates. */
export const AuditFilterSchema = z.object({
  action: z.string().max(64).optional().openapi({ description: 'Prefix, e.g. auth. or people.read' }),
  actor: z.string().max(64).optional(),
  outcome: z.enum(['ok', 'denied', 'failed']).optional(),
  from: isoDateParam.optional(),
  to: isoDateParam.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/**
 * An entry as a reader of the log sees it: every column of `audit_log` but the actor's account
 * id, as the table declares them, the time as ISO text and the details as whatever was recorded.
 */
export const AuditEntrySchema = createSelectSchema(auditLog, { at: isoTimeText, details: () => z.unknown() })
  .omit({ actorId: true })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
