import { z } from 'zod';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { entityPath, literal, sapDateOnly } from './odata-values';
import { isBusinessRule } from './sap-errors';
import type {
  SapBatchInfo,
  SapBatchResult,
  SapEnsureBatchInput,
  SapReadBatchInput,
  SapSetBatchRestrictedInput,
} from './types';

export const BATCH_SERVICE = 'API_BATCH_SRV';

const batchSchema = z.object({
  Material: z.string(),
  Batch: z.string(),
  MatlBatchIsInRstrcdUseStock: z.boolean(),
  BatchIsMarkedForDeletion: z.boolean(),
  ShelfLifeExpirationDate: sapDateOnly,
  ManufactureDate: sapDateOnly,
});

/** Batches are kept at client level (S/4 default): BatchIdentifyingPlant = '' (§2.4). */
const batchPath = (material: string, batch: string): string =>
  entityPath('Batch', {
    Material: literal.string(material),
    BatchIdentifyingPlant: literal.string(''),
    Batch: literal.string(batch),
  });

export async function readBatch(client: SapODataClient, input: SapReadBatchInput): Promise<SapBatchInfo> {
  const { material, batch } = checkInput(inputSchemas.readBatch, input, 'sapReadBatch');
  const found = await client.readOptional(
    BATCH_SERVICE,
    batchPath(material, batch),
    batchSchema,
    `batch ${material}/${batch}`,
  );
  if (!found) return { exists: false, material, batch };
  const b = found.data;
  return {
    exists: true,
    material,
    batch,
    restricted: b.MatlBatchIsInRstrcdUseStock,
    markedForDeletion: b.BatchIsMarkedForDeletion,
    shelfLifeExpirationDate: b.ShelfLifeExpirationDate,
    manufactureDate: b.ManufactureDate,
  };
}

/** PATCH MatlBatchIsInRstrcdUseStock with If-Match when it differs (re-read once on 412/428). */
async function setRestricted(
  client: SapODataClient,
  material: string,
  batch: string,
  restricted: boolean,
): Promise<boolean> {
  const result = await client.update(
    BATCH_SERVICE,
    batchPath(material, batch),
    batchSchema,
    `batch ${material}/${batch}`,
    (current) =>
      current.MatlBatchIsInRstrcdUseStock === restricted ? undefined : { MatlBatchIsInRstrcdUseStock: restricted },
  );
  return result.changed;
}

/** Creates the batch if SAP does not know it, else brings its restricted-use status to the wanted value. */
export async function ensureBatch(client: SapODataClient, input: SapEnsureBatchInput): Promise<SapBatchResult> {
  const { material, batch, restricted } = checkInput(inputSchemas.ensureBatch, input, 'sapEnsureBatch');
  const what = `batch ${material}/${batch}`;
  const existing = await client.readOptional(BATCH_SERVICE, batchPath(material, batch), batchSchema, what);
  if (!existing) {
    try {
      await client.create(
        BATCH_SERVICE,
        'Batch',
        { Material: material, BatchIdentifyingPlant: '', Batch: batch, MatlBatchIsInRstrcdUseStock: restricted },
        batchSchema,
        what,
      );
      return { material, batch, restricted, created: true, changed: false };
    } catch (err) {
      // Created concurrently (or by an attempt whose answer was lost): fall through to the status check.
      if (
        !isBusinessRule(err) ||
        !(await client.readOptional(BATCH_SERVICE, batchPath(material, batch), batchSchema, what))
      )
        throw err;
    }
  }
  const changed = await setRestricted(client, material, batch, restricted);
  return { material, batch, restricted, created: false, changed };
}

export async function setBatchRestricted(
  client: SapODataClient,
  input: SapSetBatchRestrictedInput,
): Promise<SapBatchResult> {
  const { material, batch, restricted } = checkInput(inputSchemas.setBatchRestricted, input, 'sapSetBatchRestricted');
  const changed = await setRestricted(client, material, batch, restricted);
  return { material, batch, restricted, created: false, changed };
}
