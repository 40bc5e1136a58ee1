import type { MultiPolygon, Point, Position } from 'geojson';

/** Longitude then latitude in WGS84 / CGCS2000 degrees, as GeoJSON orders them. */
export type LngLat = [lng: number, lat: number] & { readonly __crs?: 'wgs84' };

/** The five management levels; the county is the root. */
export const AREA_LEVELS = ['county', 'township', 'village', 'grid', 'cell'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/** Length of the statistical code at each level: 6, 9, 12, 15, 18 digits. */
export const CODE_LENGTH: Record<AreaLevel, number> = {
  county: 6,
  township: 9,
  village: 12,
  grid: 15,
  cell: 18,
};

/**
 * What kind of unit an area is, in the statistical sense:
 * street 街道 / town 镇 / xiang 乡 for townships, village 村 / community 社区 for the next level,
 * and plain `grid` / `cell` below.
 */
export type AreaKind = 'county' | 'street' | 'town' | 'xiang' | 'village' | 'community' | 'grid' | 'cell';

export interface ReferenceCounty {
  attribution: string[];
  county: { code: string; name: string };
  townships: { code: string; name: string }[];
  villages: { code: string; name: string; statisticalName: string; townshipCode: string }[];
  outline: MultiPolygon;
}

export interface GeneratedArea {
  code: string;
  level: AreaLevel;
  kind: AreaKind;
  name: string;
  parentCode: string | null;
  /** True for the urban core (壁州街道, 诺江镇) and everything inside it. */
  urban: boolean;
  population: number;
  households: number;
  geometry: MultiPolygon;
  /** A point inside the area for its label, [lng, lat]. */
  labelPoint: Position;
}

export interface GeneratedHousehold {
  /** Cell code + 4 digits. */
  code: string;
  cellCode: string;
  residents: number;
  /** Synthetic door address, e.g. 王坪村3组12号. */
  address: string;
  position: Point;
}

export type PersonRole = 'township_commander' | 'grid_chief' | 'grid_worker' | 'cell_informant' | 'department_cadre';

export interface GeneratedPerson {
  /** Stable id: role prefix + area code (+ department code for cadres). */
  id: string;
  name: string;
  role: PersonRole;
  /** The area the person is responsible for: township (commander), village (grid chief), grid, cell. */
  areaCode: string;
  phone: string;
  departmentCode: string | null;
}

export interface Department {
  code: string;
  name: string;
}

export interface GeneratedCounty {
  seed: number;
  areas: GeneratedArea[];
  households: GeneratedHousehold[];
  people: GeneratedPerson[];
}
