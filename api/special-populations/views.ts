import { dueStatusOf, riskColourOf } from '../vocabulary/special-populations.ts';
import type { EntryRow } from './repository.ts';

/**
 * 身份证号 as lists and exports show it: the first 6 digits (the issuing area) and the last 4, the
 * rest starred. Only the detail gives it whole, and only to a reader whose own scope holds the entry
 * (its grid's worker, its village's chief), not to a reader who reaches it by a break-the-glass grant.
 */
export function maskIdNumber(idNumber: string | null): string | null {
  if (!idNumber) return idNumber;
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

export type Tenant = { name: string; idNumber?: string | null; phone?: string | null; since?: string | null };

export function listView(row: EntryRow, today: string) {
  return {
    id: row.id,
    category: row.category,
    name: row.name,
    idNumber: maskIdNumber(row.idNumber),
    gender: row.gender,
    birthDate: row.birthDate,
    phone: row.phone,
    householdCode: row.householdCode,
    address: row.address,
    areaCode: row.areaCode,
    gridName: row.gridName,
    villageName: row.villageName,
    riskLevel: row.riskLevel,
    supervisionGrade: row.supervisionGrade,
    releaseDate: row.releaseDate,
    programmeStart: row.programmeStart,
    registeredOn: row.registeredOn,
    active: row.active,
    lastVisitAt: row.lastVisitAt,
    nextDueOn: row.nextDueOn,
    dueStatus: dueStatusOf(row.nextDueOn, today),
    riskColour: riskColourOf(row),
    version: row.version,
  };
}
export type EntryListView = ReturnType<typeof listView>;
