import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './node-flags.ts';

describe('the server’s Node flags', () => {
  it('are the ones npm start passes', () => {
    const scripts = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const start = scripts.start?.split(/\s+/) ?? [];
    expect(start.slice(0, 1)).toEqual(['tsx']);
    expect(start.slice(1, 1 + SERVER_NODE_FLAGS.length)).toEqual([...SERVER_NODE_FLAGS]);
    expect(start.at(-1)).toBe('api/server.ts');
  });
});
