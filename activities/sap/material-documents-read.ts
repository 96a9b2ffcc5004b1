import { z } from 'zod';
import type { MaterialDocumentReading } from '../../domain/reconciliation';
import { MATERIAL_DOCUMENT_SERVICE } from './goods-movements';
import { headerTextKey } from './idempotency';
import type { SapODataClient } from './odata-client';
import { literal, sapKey } from './odata-values';
import { reapplyKey } from './reconciliation';
import { businessRuleFailure } from '../shared/failures';

/** Re-applications looked for per movement: 4 header texts each, 10 movements per `$filter` of 40 terms. */
const CHAIN = 4;
export const MAX_MOVEMENTS_PER_READ = 10;

export const checkMaterialDocumentsInput = z.object({
  keys: z.array(z.string().min(1)).max(MAX_MOVEMENTS_PER_READ),
});
export type SapCheckMaterialDocumentsInput = z.infer<typeof checkMaterialDocumentsInput>;

const headerRow = z.object({
  MaterialDocument: sapKey,
  MaterialDocumentYear: z.string(),
  MaterialDocumentHeaderText: z.string(),
});
const itemRow = z.object({
  MaterialDocument: sapKey,
  MaterialDocumentYear: z.string(),
  GoodsMovementIsCancelled: z.boolean(),
});

/**
 * For each recorded goods movement: is its material document active in SAP, cancelled, or absent? Two GETs:
 * the headers by their key text (the movement's and its re-applications'), then their items' cancelled flags.
 */
export async function checkMaterialDocuments(
  client: SapODataClient,
  input: SapCheckMaterialDocumentsInput,
): Promise<MaterialDocumentReading[]> {
  const parsed = checkMaterialDocumentsInput.safeParse(input);
  if (!parsed.success)
    throw businessRuleFailure(`sapCheckMaterialDocuments: ${parsed.error.message}`, { system: 'sap' });
  const { keys } = parsed.data;
  if (keys.length === 0) return [];
  const texts = keys.flatMap((key) => Array.from({ length: CHAIN }, (_, n) => headerTextKey(reapplyKey(key, n))));
  const headers = await client.list(
    MATERIAL_DOCUMENT_SERVICE,
    'A_MaterialDocumentHeader',
    headerRow,
    `material documents of ${keys.length} movements`,
    {
      $filter: texts.map((t) => `MaterialDocumentHeaderText eq ${literal.string(t)}`).join(' or '),
      $select: 'MaterialDocument,MaterialDocumentYear,MaterialDocumentHeaderText',
    },
  );
  const docKey = (d: { MaterialDocument: string; MaterialDocumentYear: string }) =>
    `${d.MaterialDocumentYear}/${d.MaterialDocument}`;
  const cancelled = new Set<string>();
  if (headers.length > 0) {
    const items = await client.list(
      MATERIAL_DOCUMENT_SERVICE,
      'A_MaterialDocumentItem',
      itemRow,
      `items of ${headers.length} material documents`,
      {
        $filter: headers
          .map(
            (h) =>
              `(MaterialDocument eq ${literal.string(h.MaterialDocument)} and MaterialDocumentYear eq ${literal.string(h.MaterialDocumentYear)})`,
          )
          .join(' or '),
        $select: 'MaterialDocument,MaterialDocumentYear,GoodsMovementIsCancelled',
      },
    );
    for (const item of items) if (item.GoodsMovementIsCancelled) cancelled.add(docKey(item));
  }
  const byText = new Map(headers.map((h) => [h.MaterialDocumentHeaderText, h]));
  return keys.map((key) => {
    for (let n = 0; ; n++) {
      const next = reapplyKey(key, n);
      const found = n < CHAIN ? byText.get(headerTextKey(next)) : undefined;
      if (!found) return { key, state: n === 0 ? 'missing' : 'reversed', reversals: n, reapplyKey: next };
      if (!cancelled.has(docKey(found)))
        return { key, state: 'posted', reversals: n, reapplyKey: next, document: docKey(found) };
    }
  });
}
