import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { REPORT_TYPE_CODES } from '../vocabulary/report-types.ts';
import { departmentsRepository } from './repository.ts';

const DepartmentSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    reportTypes: z.array(z.enum(REPORT_TYPE_CODES)).openapi({
      description:
        'The lines (条线) the department answers for: its cadres see, within their scope, the cases of these types besides those dispatched or co-assigned to it',
    }),
  })
  .openapi('Department');

const listDepartments = createRoute({
  method: 'get',
  path: '/api/departments',
  tags: ['departments'],
  summary: 'The county departments cases are dispatched to (D01 县应急管理局, …)',
  middleware: [requires('map.view')] as const,
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ departments: z.array(DepartmentSchema) }) } },
      description: 'Departments by code',
    },
    ...errorResponses(401, 403),
  },
});

export function departmentsRoutes() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(listDepartments, async (c) =>
    c.json({ departments: await departmentsRepository(c.get('db')).list() }, 200),
  );
}
