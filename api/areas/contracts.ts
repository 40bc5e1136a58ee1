import { z } from '@hono/zod-openapi';
import { AREA_LEVELS } from '../../geo/types.ts';
import { areas, departments, people } from '../db/schema.ts';
import { createSelectSchema } from '../openapi.ts';

export const AreaCode = z.string().openapi({
  description: '6, 9, 12, 15 or 18 digit statistical area code; each level extends its parent',
  example: '511921108209',
});

const LngLatSchema = z.tuple([z.number(), z.number()]).openapi({ description: '[lng, lat] in WGS84 degrees' });
const BboxSchema = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .openapi({ description: '[west, south, east, north] in WGS84 degrees' });
/** West, south, east, north in degrees. */
export type Bbox = z.infer<typeof BboxSchema>;
export const LevelSchema = z.enum(AREA_LEVELS);

/**
 * The columns of `areas` a contract carries, as the table declares them; `level` narrowed to the
 * five levels the code lengths allow. The geometries never cross as columns (they become
 * labelPoint, bbox and tiles).
 */
const AreaColumnsSchema = createSelectSchema(areas, {
  level: () => LevelSchema,
  synthetic: (column) => column.openapi({ description: 'True for generated boundaries and people' }),
}).omit({ geom: true, labelPoint: true });

export const AreaSummarySchema = AreaColumnsSchema.pick({ code: true, name: true, level: true, kind: true }).openapi(
  'AreaSummary',
);
export type AreaSummary = z.infer<typeof AreaSummarySchema>;

export const AreaListItemSchema = AreaSummarySchema.extend({
  ...AreaColumnsSchema.pick({ population: true, households: true }).shape,
  labelPoint: LngLatSchema,
  bbox: BboxSchema,
}).openapi('AreaListItem');
export type AreaListItem = z.infer<typeof AreaListItemSchema>;

const DepartmentColumnsSchema = createSelectSchema(departments);

/** A person responsible for an area (`people`), with their department as code and name. */
const PersonSchema = createSelectSchema(people, {
  role: (column) =>
    column.openapi({ description: 'township_commander | grid_chief | grid_worker | cell_informant | department_cadre' }),
})
  .pick({ id: true, name: true, role: true, areaCode: true, phone: true, synthetic: true })
  .extend({ department: DepartmentColumnsSchema.pick({ code: true, name: true }).nullable() })
  .openapi('ResponsiblePerson');

export const AreaDetailSchema = AreaListItemSchema.extend({
  ...AreaColumnsSchema.pick({ parentCode: true, urban: true, synthetic: true }).shape,
  areaKm2: z.number(),
  childLevel: LevelSchema.nullable(),
  childCount: z.number().int(),
  chain: z.array(AreaSummarySchema).openapi({ description: 'County first, the area itself last' }),
  people: z.array(PersonSchema),
}).openapi('AreaDetail');
export type AreaDetail = z.infer<typeof AreaDetailSchema>;

export type TreeNode = AreaSummary & { children: TreeNode[] };
export const TreeNodeSchema: z.ZodType<TreeNode> = AreaSummarySchema.extend({
  children: z.array(z.lazy(() => TreeNodeSchema)),
}).openapi('AreaTreeNode');

export const SearchResultSchema = AreaListItemSchema.extend({
  parentNames: z.array(z.string()).openapi({ description: 'Township, village, … names above the result' }),
}).openapi('AreaSearchResult');
