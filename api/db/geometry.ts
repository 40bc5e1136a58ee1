import { customType } from 'drizzle-orm/pg-core';
import type { Geometry } from 'geojson';

/**
 * A PostGIS geometry column of one type and SRID. drizzle's built-in `geometry()` is
 * point-only with SRID 0, so areas and tiles use this instead. Values are written as
 * GeoJSON through ST_GeomFromGeoJSON; read them back with ST_AsGeoJSON in SQL.
 */
export const geometry = (
  name: string,
  config: { type: 'MultiPolygon' | 'Point' | 'Polygon' | 'LineString'; srid: 4326 | 3857 },
) =>
  customType<{ data: Geometry; driverData: string }>({
    dataType: () => `geometry(${config.type},${config.srid})`,
    toDriver: (value) => JSON.stringify(value),
  })(name);

/** Binary data (photos). pg gives a Buffer and PGlite a Uint8Array; both are bytes. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});
