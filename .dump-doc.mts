import { OpenAPIHono } from '@hono/zod-openapi';
const root = process.argv[2];
const app = new OpenAPIHono();
const { casesRoutes } = await import(`${root}/api/cases/routes.ts`);
app.route('/', casesRoutes({} as never, {} as never));
const { myWorkRoutes } = await import(`${root}/api/cases/my-work-routes.ts`);
app.route('/', myWorkRoutes({} as never));
const { reportsRoutes } = await import(`${root}/api/reports/routes.ts`);
app.route('/', reportsRoutes({} as never, {} as never, {} as never));
for (const extra of process.argv.slice(3)) {
  const [file, fn] = extra.split('#');
  const module = await import(`${root}/${file}`).catch(() => null);
  if (module?.[fn!]) app.route('/', module[fn!]({} as never, {} as never));
}
const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '0' } });
console.log(JSON.stringify(doc, null, 1));
