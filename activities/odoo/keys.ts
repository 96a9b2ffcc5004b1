import { createHash } from 'node:crypto';

/**
 * Idempotency keys as Odoo can hold them. Odoo has no idempotency header, so the key's short hash is
 * written where a retry can search for it: an external id in ir.model.data (atomic with the record via
 * load()), or a marker text in a Char/Html field (stock.scrap origin, quality.alert description,
 * quality.check note, chatter body).
 */
export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 20);
}

/** Marker text `pf-<20 hex>` — unique enough (80 bits) and free of LIKE wildcards. */
export function keyMarker(key: string): string {
  return `pf-${keyHash(key)}`;
}

export const XMLID_MODULE = 'plantflow';

/** External id `plantflow.pf_<20 hex>` of the record a keyed write created. */
export function keyXmlid(key: string): { module: string; name: string; full: string } {
  const name = `pf_${keyHash(key)}`;
  return { module: XMLID_MODULE, name, full: `${XMLID_MODULE}.${name}` };
}
