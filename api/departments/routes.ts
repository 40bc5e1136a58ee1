import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { requires } from '../auth/middleware.ts';
import { errorResponses, validationHook } from '../openapi.ts';
import { DepartmentSchema } from './contracts.ts';
import { departmentsRepository } from './repository.ts';

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
