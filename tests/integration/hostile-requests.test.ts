import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  app,
  caseId,
  county,
  db,
  FUZZ_ADDRESS,
  informant,
  NUL,
  openHostileInput,
  writtenRows,
} from './hostile-input-fixtures.ts';
import { TestBrowser as UnsignedBrowser } from './support/sessions.ts';

beforeAll(openHostileInput);

afterAll(async () => {
  // A generated PUT /api/drill may have started drills: stop every one so no other test meets them.
  const { drills } = (await (await county.get('/api/drill')).json()) as { drills: { scopeCode: string }[] };
  for (const { scopeCode } of drills) await county.request('PUT', '/api/drill', { running: false, scopeCode });
  await db.rows(sql`UPDATE reports SET state = 'cancelled', clock_stage = NULL, due_at = NULL WHERE source = 'drill'`);
});

// ---------------------------------------------------------------------------------------------
// Generated requests: every route of the OpenAPI document, with hostile values in its path,
// query, body and headers. None may answer 5xx, and a refused one may write nothing.

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  body?: JsonSchema;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $ref?: string;
}

const HOSTILE_STRINGS = [
  NUL,
  `a${NUL}b`,
  '\ud800',
  'a\udfffb',
  '\u202e\u200f\u2066',
  'x'.repeat(10_000),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  "' OR '1'='1' --",
  "'; DROP TABLE reports; --",
  '%',
  '_',
  '\\',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '%00',
  '',
  ' ',
  '0x6b',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '99999',
  '-000001-01-01',
  '275760-09-13',
  '+275760-09-13T00:00:00Z',
  '2026-02-30',
  '511921',
  '511921108209001001',
  '00000000-0000-4000-8000-000000000000',
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(-0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -1, 0, 2 ** 31, 0.5),
  fc.double(),
  fc.integer(),
);

/** A value for one schema: mostly one it accepts (so the request goes deeper), often a hostile one. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true, [], {}));
  if (!schema || depth > 3) return hostile;
  const plausible: fc.Arbitrary<unknown>[] = [];
  if (schema.enum && schema.enum.length > 0) plausible.push(fc.constantFrom(...schema.enum));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string') plausible.push(hostileString);
  if (type === 'number' || type === 'integer') plausible.push(hostileNumber);
  if (type === 'boolean') plausible.push(fc.boolean());
  if (type === 'array') plausible.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 }));
  if (type === 'object' || schema.properties) plausible.push(objectFor(schema, depth + 1));
  if (plausible.length === 0) return hostile;
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...plausible) }, { weight: 1, arbitrary: hostile });
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const record = Object.fromEntries(properties.map(([name, property]) => [name, valueFor(property, depth)]));
  return fc.oneof(
    { weight: 4, arbitrary: fc.record(record, { requiredKeys: [] }) },
    // Prototype names as keys, as JSON.parse makes them: own properties named __proto__.
    {
      weight: 1,
      arbitrary: fc
        .record(record, { requiredKeys: [] })
        .map((value) => ({ ...value, ...JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":1}}') })),
    },
    { weight: 1, arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  );
}

function resolveRefs(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | undefined {
  if (!schema) return schema;
  if (schema.$ref) return resolveRefs(components[schema.$ref.split('/').pop() ?? ''], components);
  const resolved: JsonSchema = { ...schema };
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, resolveRefs(property, components) ?? {}]),
    );
  }
  if (schema.items) resolved.items = resolveRefs(schema.items, components);
  return resolved;
}

/** Every operation of the document but signing out, which would end the fuzzing session itself. */
async function operations(): Promise<Operation[]> {
  const document = (await (await county.get('/api/openapi.json')).json()) as {
    paths: Record<
      string,
      Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
    >;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const components = document.components?.schemas ?? {};
  const found: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (path === '/api/auth/logout') continue;
      found.push({
        method: method.toUpperCase(),
        path,
        params: (operation.parameters ?? []).map((parameter) => ({
          ...parameter,
          schema: resolveRefs(parameter.schema, components),
        })),
        body: resolveRefs(
          operation.requestBody?.content['application/json']?.schema ??
            operation.requestBody?.content['multipart/form-data']?.schema,
          components,
        ),
      });
    }
  }
  return found;
}

interface GeneratedRequest {
  operation: Operation;
  path: string;
  body: unknown;
  rawBody: string | null;
  headers: Record<string, string>;
  as: 'county' | 'informant' | 'anonymous';
}

/** A URL cannot carry a lone surrogate (encodeURIComponent throws): it becomes U+FFFD, as a browser sends it. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function requestFor(operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const pathParams = operation.params.filter((parameter) => parameter.in === 'path');
  const queryParams = operation.params.filter((parameter) => parameter.in === 'query');
  const pathValue = (name: string) =>
    fc.oneof(
      {
        weight: 2,
        arbitrary: fc.constant(name === 'id' ? caseId : name === 'code' ? '511921108' : name === 'layer' ? 'cell' : '8'),
      },
      { weight: 3, arbitrary: hostileString.filter((value) => value !== '') },
    );
  return fc.record({
    operation: fc.constant(operation),
    path: fc
      .tuple(...pathParams.map((parameter) => pathValue(parameter.name)))
      .map((values) =>
        pathParams.reduce(
          (path, parameter, index) => path.replace(`{${parameter.name}}`, encodeURIComponent(wellFormed(String(values[index])))),
          operation.path,
        ),
      )
      .chain((path) =>
        fc
          .record(Object.fromEntries(queryParams.map((parameter) => [parameter.name, valueFor(parameter.schema)])), {
            requiredKeys: [],
          })
          .map((query) => {
            const search = new URLSearchParams();
            for (const [name, value] of Object.entries(query)) search.set(name, String(value));
            const text = search.toString();
            return text ? `${path}?${text}` : path;
          }),
      ),
    body: operation.body ? valueFor(operation.body) : fc.constant(undefined),
    rawBody: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('{"a":', 'null', '[]', '"x"', '{"a":1e309}', 'NaN', '\u0000', '{"__proto__":null}'),
      },
    ),
    headers: fc.record(
      {
        Origin: fc.constantFrom('http://localhost', 'null', 'not a url', 'http://', 'http://evil.example'),
        'Accept-Language': fc.constantFrom('zh-CN', 'en', '', '__proto__', 'x'.repeat(300)),
        'Content-Type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          'multipart/form-data',
        ),
      },
      { requiredKeys: [] },
    ),
    as: fc.constantFrom('county', 'county', 'informant', 'anonymous'),
  });
}

const anonymous = new UnsignedBrowser({ request: (path, init, env) => app.request(path, init, env) }, FUZZ_ADDRESS);

let signInAddress = 0;

async function send(generated: GeneratedRequest): Promise<Response> {
  // Each generated sign-in from an address of its own: an address with many failures is slowed down.
  const signingIn = generated.operation.path === '/api/auth/login';
  signInAddress++;
  const fresh = new UnsignedBrowser(
    { request: (path, init, env) => app.request(path, init, env) },
    `127.1.${(signInAddress >> 8) & 255}.${signInAddress & 255}`,
  );
  const browser = signingIn ? fresh : generated.as === 'county' ? county : generated.as === 'informant' ? informant : anonymous;
  const { method } = generated.operation;
  const headers = { 'Content-Type': 'application/json', ...generated.headers };
  if (method === 'GET') return browser.get(generated.path, generated.headers);
  if (generated.rawBody !== null) {
    return app.request(`http://localhost${generated.path}`, {
      method,
      headers: { ...headers, Cookie: browser.cookieHeader(), 'X-CSRF-Token': browser.csrfToken ?? '', Host: 'localhost' },
      body: generated.rawBody,
    });
  }
  return browser.request(method, generated.path, generated.body ?? {}, headers);
}

/** Cases per route; the routes times this is the run's count (over 10,000). */
const RUNS_PER_ROUTE = 260;

describe('generated hostile requests to every route', () => {
  const tally = { requests: 0, serverErrors: 0, refused: 0, refusedThatWrote: 0 };
  const failures: string[] = [];

  afterAll(() => {
    console.info(
      `hostile input: ${tally.requests} requests, ${tally.serverErrors} answered 5xx, ${tally.refused} refused, ${tally.refusedThatWrote} refused that wrote rows`,
    );
  });

  // Some 10,000 requests: about a minute on an idle machine, more on a busy one. No time limit is
  // asserted; the generous timeout only stops a run that hangs.
  it('answers none with 5xx, and a refused one writes nothing', { timeout: 900_000 }, async () => {
    const all = await operations();
    expect(all.length).toBeGreaterThan(30);
    for (const operation of all) {
      await fc
        .assert(
          fc.asyncProperty(requestFor(operation), async (generated) => {
            const writes = generated.operation.method !== 'GET';
            const before = writes ? await writtenRows() : 0;
            const response = await send(generated);
            // A live stream that was accepted never ends by itself: its status is what counts.
            await response.body?.cancel();
            tally.requests++;
            if (response.status >= 500) {
              tally.serverErrors++;
              failures.push(
                `${response.status} ${generated.operation.method} ${generated.path.slice(0, 200)} ${JSON.stringify(generated.body)?.slice(0, 200)}`,
              );
              return false;
            }
            if (response.status >= 400) {
              tally.refused++;
              if (writes && (await writtenRows()) !== before) {
                tally.refusedThatWrote++;
                failures.push(
                  `wrote rows, answered ${response.status}: ${generated.operation.method} ${generated.path.slice(0, 200)}`,
                );
                return false;
              }
            }
            return true;
          }),
          { numRuns: RUNS_PER_ROUTE, seed: 20_261_203, endOnFailure: true },
        )
        .catch((error: unknown) => {
          failures.push(String(error).slice(0, 2000));
        });
    }
    expect(failures).toEqual([]);
    expect(tally.requests).toBeGreaterThanOrEqual(10_000);
  });
});
