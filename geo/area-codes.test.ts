import { describe, expect, it } from 'vitest';
import { ancestorCodes, isWithinScope, levelOfCode, parentCode, townshipKindOfCode } from './area-codes';

describe('levelOfCode', () => {
  it.each([
    ['511921', 'county'],
    ['511921108', 'township'],
    ['511921108209', 'village'],
    ['511921108209001', 'grid'],
    ['511921108209001012', 'cell'],
  ])('%s is a %s code', (code, level) => {
    expect(levelOfCode(code)).toBe(level);
  });

  it.each([
    [''],
    ['51192'],
    ['5119211'],
    ['5119211082'],
    ['51192110820900'],
    ['5119211082090010121'],
    ['51192a'],
    [' 511921'],
    ['511921108209 '],
    ['-51192'],
  ])('%j is not an area code', (code) => {
    expect(levelOfCode(code)).toBeNull();
  });
});

describe('parentCode', () => {
  it.each([
    ['511921108209001012', '511921108209001'],
    ['511921108209001', '511921108209'],
    ['511921108209', '511921108'],
    ['511921108', '511921'],
    ['511921', null],
    ['5119211', null],
    ['abc', null],
  ])('parent of %s is %s', (code, parent) => {
    expect(parentCode(code)).toBe(parent);
  });
});

describe('ancestorCodes', () => {
  it.each([
    ['511921108209001012', ['511921', '511921108', '511921108209', '511921108209001']],
    ['511921108209', ['511921', '511921108']],
    ['511921', []],
    ['12345', []],
  ])('ancestors of %s', (code, ancestors) => {
    expect(ancestorCodes(code)).toEqual(ancestors);
  });
});

describe('isWithinScope', () => {
  it.each([
    ['511921108209001012', '511921', true],
    ['511921108209001012', '511921108', true],
    ['511921108209001012', '511921108209001012', true],
    ['511921108209', '511921112', false],
    ['511921108', '511921108209', false],
    ['511921108209', '51192110', false],
    ['511921108209', '', false],
    ['x11921108209', '511921', false],
  ])('%s within %s: %s', (code, scope, within) => {
    expect(isWithinScope(code, scope)).toBe(within);
  });
});

describe('townshipKindOfCode', () => {
  it.each([
    ['511921001', 'street'],
    ['511921099', 'street'],
    ['511921100', 'town'],
    ['511921129', 'town'],
    ['511921214', 'xiang'],
    ['511921399', 'xiang'],
    ['511921000', null],
    ['511921400', null],
    ['511921108209', null],
  ])('%s is %s', (code, kind) => {
    expect(townshipKindOfCode(code)).toBe(kind);
  });
});
