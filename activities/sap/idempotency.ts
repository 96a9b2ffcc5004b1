import { createHash } from 'node:crypto';

/**
 * S/4 OData APIs have no idempotency key (§5); plantflow derives one per write from the workflow's key and
 * stores it in a field it can search before posting again.
 */
const digest = (purpose: string, key: string): Buffer =>
  createHash('sha256').update(`plantflow:sap:${purpose}:${key}`).digest();

/** Name-based (v5-style, SHA-256) UUID for ProdnOrdConf2.ExternalSystemConfirmation. */
export function externalConfirmationId(idempotencyKey: string, purpose = 'confirmation'): string {
  const b = digest(purpose, idempotencyKey).subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 23 characters for MaterialDocumentHeaderText (max 25): `PF-` + 80 bits of the key's hash. */
export function headerTextKey(idempotencyKey: string, purpose = 'goods-movement'): string {
  return `PF-${digest(purpose, idempotencyKey).toString('hex').slice(0, 20).toUpperCase()}`;
}

/** 13-character marker (`PF-` + 40 bits) put in front of short texts (40 chars) of notifications/defects. */
export function textKey(idempotencyKey: string, purpose: string): string {
  return `PF-${digest(purpose, idempotencyKey).toString('hex').slice(0, 10).toUpperCase()}`;
}

/** `PF-ABC… text` cut to the field length. */
export function keyedText(marker: string, text: string, maxLength = 40): string {
  return `${marker} ${text}`.slice(0, maxLength);
}
