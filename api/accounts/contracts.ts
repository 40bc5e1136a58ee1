import { z } from '@hono/zod-openapi';
import { accounts } from '../db/schema.ts';
import { createInsertSchema, createSelectSchema, isoTimeText } from '../openapi.ts';

/** The columns of `accounts` an administrator sees, as the table declares them; never the password hash. */
const AccountColumnsSchema = createSelectSchema(accounts, { createdAt: isoTimeText });

/** An account as an administrator sees it: its row, the names of its scope and department, and when it was last seen. */
export const AccountSchema = AccountColumnsSchema.pick({
  id: true,
  username: true,
  displayName: true,
  role: true,
  scopeCode: true,
  departmentCode: true,
  demo: true,
  createdAt: true,
})
  .extend({
    scopeName: z.string().nullable(),
    departmentName: z.string().nullable(),
    disabled: z.boolean().openapi({ description: 'true once disabledAt is set; a disabled account cannot sign in' }),
    lastSeenAt: z
      .string()
      .nullable()
      .openapi({ description: 'ISO 8601, UTC; the latest of its sessions, null if it never signed in' }),
  })
  .openapi('Account');

/** The columns an administrator may set, with the bounds a request is held to. */
const AccountInputSchema = createInsertSchema(accounts, {
  username: (column) => column.max(64),
  displayName: (column) => column.min(1).max(64),
  role: (column) => column.max(32),
  scopeCode: (column) => column.max(18),
  departmentCode: (column) => column.max(8),
});

/** A new account: its row's columns, and the first password (never stored as given). */
export const NewAccountSchema = AccountInputSchema.pick({
  username: true,
  displayName: true,
  role: true,
  scopeCode: true,
  departmentCode: true,
})
  .partial({ departmentCode: true })
  .extend({ password: z.string().max(256) });
export type NewAccount = z.infer<typeof NewAccountSchema>;

/** What an administrator may change on an account; `disabled` sets or clears disabledAt. */
export const AccountChangesSchema = AccountInputSchema.pick({
  displayName: true,
  role: true,
  scopeCode: true,
  departmentCode: true,
})
  .partial()
  .extend({ disabled: z.boolean().optional() });
export type AccountChanges = z.infer<typeof AccountChangesSchema>;

/** A password an administrator sets for someone else; its strength is checked by the service. */
export const NewPasswordSchema = z.object({ password: z.string().max(256) });
