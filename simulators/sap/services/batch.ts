import { bool, date, dto, str, type PropDef, type Row } from '../odata/edm';
import type { ServiceDef } from '../odata/model';
import { messages } from '../state/messages';
import type { SapModel } from '../state/model';
import type { Batch } from '../state/types';

/**
 * API_BATCH_SRV (EDMX namespace cds_api_batch_srv): client-level batches (BatchIdentifyingPlant = '').
 * SAP's documentation leaves open whether Batch carries an ETag; practitioners send If-Match, so the simulator
 * gives it one on LastChangeDateTime and enforces it.
 */
const BATCH_PROPS: PropDef[] = [
  str('Material', 40),
  str('BatchIdentifyingPlant', 4),
  str('Batch', 10),
  bool('BatchIsMarkedForDeletion'),
  bool('MatlBatchIsInRstrcdUseStock'),
  date('ShelfLifeExpirationDate'),
  date('ManufactureDate'),
  dto('CreationDateTime'),
  dto('LastChangeDateTime'),
];

export function batchService(model: SapModel): ServiceDef {
  const row = (b: Batch): Row => ({ ...b });
  return {
    name: 'API_BATCH_SRV',
    namespace: 'cds_api_batch_srv',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'Batch',
        type: 'BatchType',
        keys: ['Material', 'BatchIdentifyingPlant', 'Batch'],
        props: BATCH_PROPS,
        etag: 'LastChangeDateTime',
        creatable: true,
        updatable: true,
        patchable: [
          'MatlBatchIsInRstrcdUseStock',
          'BatchIsMarkedForDeletion',
          'ShelfLifeExpirationDate',
          'ManufactureDate',
        ],
        rows: () => model.state.batches.map(row),
        create: (input) => {
          const v = input.values;
          const material = String(v.Material ?? '');
          const batch = String(v.Batch ?? '');
          const master = model.material(material);
          if (!master) throw messages.materialMissing(material, '1710');
          if (!master.batchManaged)
            throw messages.invalid('12/001', `Material ${material} is not subject to batch management`);
          if (!batch || batch !== batch.toUpperCase())
            throw messages.invalid(
              '12/010',
              `Batch number ${batch || '(empty)'} is not valid; use upper-case characters`,
            );
          if (v.BatchIdentifyingPlant)
            throw messages.invalid('12/020', 'Batches are defined at client level; leave BatchIdentifyingPlant empty');
          if (model.batch(material, batch)) throw messages.batchExists(material, batch);
          const at = model.stamp();
          const created: Batch = {
            Material: material,
            BatchIdentifyingPlant: '',
            Batch: batch,
            BatchIsMarkedForDeletion: v.BatchIsMarkedForDeletion === true,
            MatlBatchIsInRstrcdUseStock: v.MatlBatchIsInRstrcdUseStock === true,
            ShelfLifeExpirationDate: (v.ShelfLifeExpirationDate as number | null | undefined) ?? null,
            ManufactureDate: (v.ManufactureDate as number | null | undefined) ?? null,
            CreationDateTime: at,
            LastChangeDateTime: at,
          };
          model.state.batches.push(created);
          return {
            row: row(created),
            refs: { material, batch, restricted: String(created.MatlBatchIsInRstrcdUseStock) },
          };
        },
        patch: (current, changes) => {
          const batch = model.batch(String(current.Material), String(current.Batch))!;
          Object.assign(batch, changes);
          batch.LastChangeDateTime = model.stamp();
          const refs: Record<string, string> = { material: batch.Material, batch: batch.Batch };
          if ('MatlBatchIsInRstrcdUseStock' in changes) refs.restricted = String(batch.MatlBatchIsInRstrcdUseStock);
          return { row: row(batch), refs };
        },
      },
    ],
  };
}
