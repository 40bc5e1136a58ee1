import { describe, expect, it } from 'vitest';
import { ROLE_LABELS, ROLES, type Role } from '../vocabulary/roles.ts';
import { GRANT_RULE, grantableLevels, mayGrant, roleFitsScope } from './permissions.ts';

describe('an account’s scope is at its role’s level', () => {
  it.each([
    ['county_commander', '511921', true],
    ['county_commander', '511921108', false],
    ['duty_officer', '511921', true],
    ['township_commander', '511921108', true],
    ['township_commander', '511921108209', false],
    ['grid_chief', '511921108209', true],
    ['grid_worker', '511921108209001', true],
    ['grid_worker', '511921108209', false],
    ['cell_informant', '511921108209001001', true],
    ['department_cadre', '511921', true],
    ['department_cadre', '511921108209001001', false],
    ['admin', '511921108', true],
    ['admin', '511921108209001', false],
  ] as [Role, string, boolean][])('%s at %s: %s', (role, scopeCode, fits) => {
    expect(roleFitsScope(role, scopeCode)).toBe(fits);
  });
});

describe('what an administrator may grant', () => {
  it.each([
    ['511921', 'county_commander', '511921', true],
    ['511921', 'admin', '511921108', true],
    ['511921', 'grid_worker', '511921108209', false],
    ['511921108', 'township_commander', '511921108', false],
    ['511921108', 'admin', '511921108', false],
    ['511921108', 'county_commander', '511921108', false],
    ['511921108', 'grid_chief', '511921108209', true],
    ['511921108', 'admin', '511921108209', true],
    ['511921108', 'grid_worker', '511921112200001', false],
    ['511921108209', 'grid_chief', '511921108209', false],
    ['511921108209', 'grid_worker', '511921108209001', true],
    ['511921108209', 'department_cadre', '511921108209001', true],
  ] as [string, Role, string, boolean][])(
    'an administrator of %s making a %s at %s: %s',
    (adminScope, role, scopeCode, allowed) => {
      expect(mayGrant(adminScope, role, scopeCode)).toBe(allowed);
    },
  );
});

describe('the grant rule the permissions page shows', () => {
  it.each(ROLES)('names %s by its one label', (role) => {
    expect(GRANT_RULE.zh).toContain(ROLE_LABELS[role].zh);
  });
});

describe('the levels the account form offers', () => {
  it('offers a 沙溪镇 administrator only grid chiefs, grid workers, informants, cadres and village administrators below the township', () => {
    const offered = Object.fromEntries(ROLES.map((role) => [role, grantableLevels('511921108', role)]));
    expect(offered).toEqual({
      county_commander: [],
      township_commander: [],
      grid_chief: ['village'],
      grid_worker: ['grid'],
      cell_informant: ['cell'],
      department_cadre: ['village', 'grid'],
      duty_officer: [],
      admin: ['village'],
    });
  });

  it.each(['511921', '511921108', '511921108209'])('agrees with mayGrant for an administrator of %s', (adminScope) => {
    const codes = ['511921', '511921108', '511921108209', '511921108209001', '511921108209001001'];
    for (const role of ROLES) {
      const offered = grantableLevels(adminScope, role);
      for (const code of codes.filter((code) => code.startsWith(adminScope))) {
        const level = (['county', 'township', 'village', 'grid', 'cell'] as const)[(code.length - 6) / 3]!;
        expect({ role, code, offered: offered.includes(level) }).toEqual({
          role,
          code,
          offered: mayGrant(adminScope, role, code),
        });
      }
    }
  });
});
