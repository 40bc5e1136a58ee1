import { ancestorCodes, levelOfCode } from '../../geo/area-codes.ts';
import { AREA_LEVELS, type AreaLevel } from '../../geo/types.ts';
import { badRequest, notFound } from '../errors.ts';
import type { AreaDetail, AreaListItem, AreaSummary, Bbox, TreeNode } from './contracts.ts';
import type { AreaRow, AreasRepository } from './repository.ts';

function bboxOf(row: AreaRow): Bbox {
  return [row.west, row.south, row.east, row.north];
}

function summaryOf(row: { code: string; name: string; level: string; kind: string }): AreaSummary {
  return { code: row.code, name: row.name, level: row.level as AreaLevel, kind: row.kind };
}

function listItemOf(row: AreaRow): AreaListItem {
  return {
    ...summaryOf(row),
    population: row.population,
    households: row.households,
    labelPoint: [row.labelLng, row.labelLat],
    bbox: bboxOf(row),
  };
}

function requireLevel(code: string): AreaLevel {
  const level = levelOfCode(code);
  if (!level) {
    throw badRequest(
      'invalid_area_code',
      {
        zh: `区划代码“${code}”格式不正确：应为 6、9、12、15 或 18 位数字`,
        en: `"${code}" is not an area code: 6, 9, 12, 15 or 18 digits`,
      },
      { code },
    );
  }
  return level;
}

function areaNotFound(code: string) {
  return notFound('area_not_found', { zh: `找不到区划 ${code}`, en: `No area with code ${code}` }, { code });
}

/** The rules of the area hierarchy: what a detail view, a drill-down and a search return. */
export function areasService(repository: AreasRepository) {
  return {
    /**
     * One area with its parent chain (county first) and, when `includePeople`, the people
     * responsible for it and its ancestors (personal data: the caller records the read).
     */
    async detail(code: string, options: { includePeople: boolean }): Promise<{ area: AreaDetail }> {
      const level = requireLevel(code);
      const row = await repository.findByCode(code);
      if (!row) throw areaNotFound(code);
      const chainCodes = [...ancestorCodes(code), code];
      const [chain, people, childCount] = await Promise.all([
        repository.findSummaries(chainCodes),
        options.includePeople ? repository.peopleOf(chainCodes) : Promise.resolve([]),
        repository.childCount(code),
      ]);
      const childLevel = AREA_LEVELS[AREA_LEVELS.indexOf(level) + 1] ?? null;
      return {
        area: {
          ...listItemOf(row),
          parentCode: row.parentCode,
          urban: row.urban,
          areaKm2: Math.round(row.areaM2 / 10_000) / 100,
          synthetic: row.synthetic,
          childLevel: childCount > 0 ? childLevel : null,
          childCount,
          chain: chain.map(summaryOf),
          people: people.map((person) => ({
            id: person.id,
            name: person.name,
            role: person.role,
            areaCode: person.areaCode,
            phone: person.phone,
            department: person.departmentCode ? { code: person.departmentCode, name: person.departmentName ?? '' } : null,
            synthetic: person.synthetic,
          })),
        },
      };
    },

    async children(code: string) {
      requireLevel(code);
      const parent = await repository.findByCode(code);
      if (!parent) throw areaNotFound(code);
      const children = await repository.children(code);
      return { parent: summaryOf(parent), children: children.map(listItemOf) };
    },

    /** The hierarchy under `rootCode`, `depth` levels down, as nested nodes. */
    async tree(rootCode: string, depth: number) {
      const rootLevel = requireLevel(rootCode);
      const rows = await repository.subtree(rootCode, rootCode.length + 3 * depth);
      const root = rows.find((row) => row.code === rootCode);
      if (!root) throw areaNotFound(rootCode);
      const nodes = new Map<string, TreeNode>(rows.map((row) => [row.code, { ...summaryOf(row), children: [] }]));
      for (const row of rows) {
        if (row.code === rootCode) continue;
        nodes.get(row.code.slice(0, row.code.length - 3))?.children.push(nodes.get(row.code)!);
      }
      return { depth, level: rootLevel, tree: nodes.get(rootCode)! };
    },

    async search(text: string, limit: number) {
      const query = text.trim();
      if (query.length === 0) {
        throw badRequest('empty_search', {
          zh: '请输入要搜索的名称、拼音或代码',
          en: 'Type a name, pinyin or code to search for',
        });
      }
      const rows = await repository.search(query, limit);
      return { results: rows.map((row) => ({ ...listItemOf(row), parentNames: row.parentNames })) };
    },
  };
}
