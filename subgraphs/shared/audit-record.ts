/**
 * How an audit row names its record: `<GraphQL type>:<global id>` (`Person:330400:5`). Persons,
 * petitions, warnings, inspections and officers each number their local ids from 1 in the same
 * region database, so the global id alone does not say which record a row is about; the type,
 * written into the row's hashed text, does, and cannot be changed unseen. Rows written before
 * the type was (the bare global id) are told apart by their action (legacy-person-audit.ts).
 */

/** The GraphQL types whose records audit rows are about. */
export type AuditedType = 'Person' | 'Officer' | 'Petition' | 'PetitionWarning' | 'Inspection' | 'InspectionTask' | 'SharingAgreement' | 'ResidentHolding';

declare const auditRecordBrand: unique symbol;
/** A record named as the audit log names it: built here only, so that no writer forgets the type. */
export type AuditRecord = string & { readonly [auditRecordBrand]: true };

export function auditRecord(type: AuditedType, id: string): AuditRecord {
  return `${type}:${id}` as AuditRecord;
}

/** A lookup by id number that found no record: about the number tried (masked), which is no record's id. */
export function unmatchedIdNumber(maskedIdNumber: string): AuditRecord {
  return `idNumber:${maskedIdNumber}` as AuditRecord;
}
