import { z } from '@hono/zod-openapi';
import { departments } from '../db/schema.ts';
import { createSelectSchema } from '../openapi.ts';
import { REPORT_TYPE_CODES } from '../vocabulary/report-types.ts';

/** A row of `departments` as the table declares it, its lines (report types) read as the vocabulary's. */
export const DepartmentSchema = createSelectSchema(departments, {
  reportTypes: () =>
    z.array(z.enum(REPORT_TYPE_CODES)).openapi({
      description:
        'The lines (条线) the department answers for: its cadres see, within their scope, the cases of these types besides those dispatched or co-assigned to it',
    }),
  kind: () =>
    z.enum(['department', 'provider']).openapi({
      description: 'A county department, or a service provider (服务主体) that takes cases as a department does',
    }),
})
  .extend({
    active: z.boolean().openapi({ description: 'False for a service provider no longer offered for dispatch' }),
  })
  .openapi('Department');
export type Department = z.infer<typeof DepartmentSchema>;
