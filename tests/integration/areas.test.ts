import { beforeAll, describe, expect, it } from 'vitest';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let browser: TestBrowser;

beforeAll(async () => {
  ({ app } = await testApp());
  browser = await signedInBrowser(app, 't-county');
});

async function getJson(path: string, headers: Record<string, string> = {}) {
  const response = await browser.get(path, headers);
  return { status: response.status, body: await response.json() };
}

describe('area detail', () => {
  it('gives 王坪村 with its chain and the people responsible for it', async () => {
    const { status, body } = await getJson('/api/areas/511921108209');
    expect(status).toBe(200);
    expect(body.area).toMatchObject({
      code: '511921108209',
      name: '王坪村',
      level: 'village',
      kind: 'village',
      parentCode: '511921108',
      synthetic: true,
    });
    expect(body.area.chain.map((area: { name: string }) => area.name)).toEqual(['通江县', '沙溪镇', '王坪村']);
    const roles = body.area.people.map((person: { role: string }) => person.role);
    expect(roles).toContain('township_commander');
    expect(roles).toContain('grid_chief');
    expect(body.area.childLevel).toBe('grid');
    expect(body.area.childCount).toBeGreaterThan(0);
    const [west, south, east, north] = body.area.bbox;
    const [lng, lat] = body.area.labelPoint;
    expect(lng).toBeGreaterThanOrEqual(west);
    expect(lng).toBeLessThanOrEqual(east);
    expect(lat).toBeGreaterThanOrEqual(south);
    expect(lat).toBeLessThanOrEqual(north);
    expect(body.area.population).toBeGreaterThan(0);
    expect(body.area.areaKm2).toBeGreaterThan(0);
  });

  it('gives a cell its full chain, its informant, grid worker, grid chief and township commander', async () => {
    const grids = await getJson('/api/areas/511921108209/children');
    const grid = grids.body.children[0];
    const cells = await getJson(`/api/areas/${grid.code}/children`);
    const cell = cells.body.children[0];
    expect(cell.code).toMatch(new RegExp(`^${grid.code}\\d{3}$`));
    const { body } = await getJson(`/api/areas/${cell.code}`);
    expect(body.area.level).toBe('cell');
    expect(body.area.chain.map((area: { level: string }) => area.level)).toEqual([
      'county',
      'township',
      'village',
      'grid',
      'cell',
    ]);
    const byRole = Object.fromEntries(
      body.area.people.map((person: { role: string; areaCode: string }) => [person.role, person.areaCode]),
    );
    expect(byRole).toMatchObject({
      township_commander: '511921108',
      grid_chief: '511921108209',
      grid_worker: grid.code,
      cell_informant: cell.code,
    });
    expect(body.area.childLevel).toBeNull();
    expect(body.area.childCount).toBe(0);
  });

  it('sums children to their parent', async () => {
    const county = await getJson('/api/areas/511921');
    const townships = await getJson('/api/areas/511921/children');
    expect(townships.body.children.map((area: { name: string }) => area.name)).toEqual([
      '壁州街道',
      '诺江镇',
      '沙溪镇',
      '涪阳镇',
    ]);
    const population = townships.body.children.reduce((sum: number, area: { population: number }) => sum + area.population, 0);
    expect(population).toBe(county.body.area.population);
  });
});

describe('area tree', () => {
  it('nests two levels under the county by default', async () => {
    const { status, body } = await getJson('/api/areas/tree');
    expect(status).toBe(200);
    expect(body.tree.code).toBe('511921');
    expect(body.tree.children).toHaveLength(4);
    const shaxi = body.tree.children.find((node: { code: string }) => node.code === '511921108');
    expect(shaxi.children.map((node: { name: string }) => node.name)).toContain('王坪村');
    expect(shaxi.children[0].children).toEqual([]);
  });

  it('goes down to cells from a village', async () => {
    const { body } = await getJson('/api/areas/tree?root=511921108209&depth=2');
    const cellCodes = body.tree.children.flatMap((grid: { children: { code: string }[] }) =>
      grid.children.map((cell) => cell.code),
    );
    expect(cellCodes.length).toBeGreaterThan(0);
    for (const code of cellCodes) expect(code).toMatch(/^511921108209\d{6}$/);
  });
});

describe('area search', () => {
  it.each([
    ['王坪', '王坪村'],
    ['wangping', '王坪村'],
    ['wpc', '王坪村'],
    ['511921108209', '王坪村'],
    ['沙溪', '沙溪镇'],
    ['fuyang', '涪阳镇'],
  ])('finds %s → %s first', async (query, name) => {
    const { status, body } = await getJson(`/api/areas/search?q=${encodeURIComponent(query)}`);
    expect(status).toBe(200);
    expect(body.results[0].name).toBe(name);
  });

  it('names the parents of a result and honours the limit', async () => {
    const { body } = await getJson(`/api/areas/search?q=${encodeURIComponent('王坪村第')}&limit=3`);
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(3);
    expect(body.results[0].parentNames.slice(0, 2)).toEqual(['沙溪镇', '王坪村']);
  });

  it('treats LIKE wildcards as text', async () => {
    const { body } = await getJson('/api/areas/search?q=%25');
    expect(body.results).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['/api/areas/abc', 400, 'invalid_area_code'],
    ['/api/areas/5119211', 400, 'invalid_area_code'],
    ['/api/areas/511921999999', 404, 'area_not_found'],
    ['/api/areas/511921999/children', 404, 'area_not_found'],
    ['/api/areas/search?q=', 400, 'empty_search'],
    ['/api/areas/search?q=a&limit=1000', 400, 'invalid_request'],
    ['/api/areas/search', 400, 'invalid_request'],
    ['/api/areas/tree?depth=9', 400, 'invalid_request'],
    ['/api/nothing-here', 404, 'not_found'],
  ])('%s → %i %s, in Chinese', async (path, status, code) => {
    const response = await getJson(path);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('speaks English when asked', async () => {
    const { body } = await getJson('/api/areas/abc', { 'Accept-Language': 'en-US,en;q=0.9' });
    expect(body.error.message).toMatch(/^"abc" is not an area code/);
  });
});

describe('system routes', () => {
  it('answers /healthz', async () => {
    expect(await getJson('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves the OpenAPI document and a readable page of it', async () => {
    const { status, body } = await getJson('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/areas/{code}',
      '/api/areas/{code}/children',
      '/api/areas/search',
      '/api/areas/tree',
      '/tiles/{layer}/{z}/{x}/{y}.mvt',
      '/tiles/{layer}.json',
      '/healthz',
    ]) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect(await page.text()).toContain('/api/areas/{code}');
  });

  it('gives the client its configuration', async () => {
    const { body } = await getJson('/api/config');
    expect(body).toMatchObject({
      basemapStyleUrl: null,
      county: { code: '511921', name: '通江县' },
      dataset: { preset: 'small', synthetic: true },
    });
  });
});
