import Decimal from 'decimal.js';
import { alpha, bool, dec, dto, int, str, type PropDef, type Row } from '../odata/edm';
import type { ServiceDef } from '../odata/model';
import { messages } from '../state/messages';
import type { SapModel } from '../state/model';
import type { Defect } from '../state/types';

/** API_DEFECT_SRV (A_Defect): defects recorded without a notification. */
const DEFECT_PROPS: PropDef[] = [
  alpha('DefectInternalID', 12),
  alpha('Defect', 11),
  str('DefectCategory', 2),
  str('DefectText', 40),
  str('DefectCodeCatalog', 1),
  str('DefectCodeGroup', 8),
  str('DefectCode', 4),
  str('DefectClass', 2),
  int('NumberOfDefects'),
  str('DefectiveQuantityUnit', 3),
  dec('DefectiveQuantity', 13, 3, 'DefectiveQuantityUnit'),
  alpha('ManufacturingOrder', 12),
  str('ManufacturingOrderOperation', 4),
  str('Material', 40),
  str('Plant', 4),
  alpha('InspectionLot', 12),
  bool('IsDeleted'),
  dto('ChangedDateTime'),
];

export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
export const qty = (v: unknown): string => (typeof v === 'string' ? new Decimal(v).toFixed() : '0');

export function defectService(model: SapModel): ServiceDef {
  const row = (d: Defect): Row => ({ ...d });
  return {
    name: 'API_DEFECT_SRV',
    namespace: 'API_DEFECT_SRV',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'A_Defect',
        type: 'A_DefectType',
        keys: ['DefectInternalID'],
        props: DEFECT_PROPS,
        etag: 'ChangedDateTime',
        creatable: true,
        updatable: true,
        patchable: ['DefectText', 'IsDeleted', 'DefectiveQuantity'],
        rows: () => model.state.defects.map(row),
        create: (input) => {
          const v = input.values;
          if (!text(v.DefectText) || !text(v.DefectCode))
            throw messages.invalid('QM_DEFECT/001', 'DefectText and DefectCode are required');
          const id = model.next('defect');
          const defect: Defect = {
            DefectInternalID: id,
            Defect: id,
            DefectCategory: text(v.DefectCategory) || '01',
            DefectText: text(v.DefectText),
            DefectCodeCatalog: text(v.DefectCodeCatalog) || '9',
            DefectCodeGroup: text(v.DefectCodeGroup),
            DefectCode: text(v.DefectCode),
            DefectClass: text(v.DefectClass),
            NumberOfDefects: typeof v.NumberOfDefects === 'number' ? v.NumberOfDefects : 1,
            DefectiveQuantity: qty(v.DefectiveQuantity),
            DefectiveQuantityUnit: text(v.DefectiveQuantityUnit),
            ManufacturingOrder: text(v.ManufacturingOrder),
            ManufacturingOrderOperation: text(v.ManufacturingOrderOperation),
            Material: text(v.Material),
            Plant: text(v.Plant),
            InspectionLot: text(v.InspectionLot),
            IsDeleted: false,
            ChangedDateTime: model.stamp(),
          };
          model.state.defects.push(defect);
          return { row: row(defect), refs: { defect: id, text: defect.DefectText } };
        },
        patch: (current, changes) => {
          const defect = model.state.defects.find((d) => d.DefectInternalID === current.DefectInternalID)!;
          Object.assign(defect, changes, { ChangedDateTime: model.stamp() });
          return { row: row(defect), refs: { defect: defect.DefectInternalID } };
        },
      },
    ],
  };
}
