import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      COUNTY_PRESET: 'full',
      TILE_CACHE_ENTRIES: 20_000,
    });
  });

  it('treats empty values as unset and coerces numbers', () => {
    const env = parseEnv({ PORT: '8080', DATABASE_URL: '', SEED: '7', DATABASE_READ_CONNECTIONS: '6' });
    expect(env).toMatchObject({ PORT: 8080, SEED: 7, DATABASE_READ_CONNECTIONS: 6 });
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(parseEnv({})).not.toHaveProperty('DATABASE_READ_CONNECTIONS');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ COUNTY_PRESET: 'huge' }, 'COUNTY_PRESET'],
    [{ DATABASE_READ_CONNECTIONS: '0' }, 'DATABASE_READ_CONNECTIONS'],
    [{ DATABASE_READ_CONNECTIONS: '2.5' }, 'DATABASE_READ_CONNECTIONS'],
    [{ BASEMAP_STYLE_URL: 'not a url' }, 'BASEMAP_STYLE_URL'],
  ])('refuses %j, naming %s', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(name));
  });

  it('lists every bad variable at once', () => {
    try {
      parseEnv({ PORT: 'x', COUNTY_PRESET: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as EnvError).issues).toHaveLength(2);
    }
  });
});
