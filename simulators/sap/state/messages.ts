import { businessError, ODataError } from '../odata/errors';

/**
 * Business refusals with SAP message ids. M7/021 (deficit), M7/053 (posting period), BS/013 (status active)
 * and PP_ODATA_API_PRODORD/106 follow real S/4 messages; the other ids are the simulator's own choice where
 * SAP's documentation is silent (see docs/sap-simulator.md) — clients must rely on status + text, not on them.
 */
const STOCK_LABEL = {
  unrestricted: 'Unrestricted-use',
  qualityInspection: 'Quality inspection',
  blocked: 'Blocked stock',
} as const;

export const messages = {
  deficit: (
    stockType: keyof typeof STOCK_LABEL,
    quantity: string,
    unit: string,
    material: string,
    plant: string,
    sloc: string,
    batch: string,
  ) =>
    businessError(
      'M7/021',
      `Deficit of ${batch ? 'BA' : 'SL'} ${STOCK_LABEL[stockType]} ${quantity} ${unit} : ${material} ${plant} ${sloc}${batch ? ` ${batch}` : ''}`,
    ),
  periodClosed: (postingDate: number, companyCode: string) => {
    const d = new Date(postingDate);
    const month = (offset: number): string => {
      const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - offset, 1));
      return `${m.getUTCFullYear()}/${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    return businessError(
      'M7/053',
      `Posting only possible in periods ${month(2)} and ${month(1)} in company code ${companyCode}`,
    );
  },
  statusActive: (status: string, order: string) =>
    businessError('BS/013', `System status ${status} is active (ORD ${order})`),
  orderNotChanged: (order: string) =>
    businessError('PP_ODATA_API_PRODORD/106', `Production order ${order} was not changed`),
  orderMissing: (order: string) => businessError('CO/004', `Order ${order} does not exist`),
  orderLocked: (order: string) =>
    new ODataError(423, 'CO/469', `Order ${order} is currently being processed by user SIMLOCK`, {
      details: [
        { code: 'CO/469', message: `Order ${order} is currently being processed by user SIMLOCK`, severity: 'error' },
      ],
    }),
  operationMissing: (order: string, operation: string) =>
    businessError('RU/019', `Operation ${operation} does not exist in order ${order}`),
  operationFinallyConfirmed: (order: string, operation: string) =>
    businessError('RU/105', `Operation ${operation} of order ${order} is already finally confirmed`),
  confirmationMissing: (group: string, count: string) =>
    businessError('RU/016', `Confirmation ${group} ${count} does not exist`),
  confirmationCancelled: (group: string, count: string) =>
    businessError('RU/138', `Confirmation ${group} ${count} has already been cancelled`),
  cancelOfCancellation: (group: string, count: string) =>
    businessError('RU/139', `Confirmation ${group} ${count} is a cancellation and cannot be cancelled`),
  unitMismatch: (given: string, expected: string) =>
    businessError('RU/044', `Unit ${given} cannot be used; confirm in ${expected}`),
  materialMissing: (material: string, plant: string) =>
    businessError('M7/002', `Material ${material} not maintained in plant ${plant}`),
  batchRequired: (material: string) => businessError('M7/022', `Enter a batch for material ${material}`),
  batchMissing: (material: string, batch: string) =>
    businessError('M7/019', `Batch ${batch} does not exist for material ${material}`),
  batchExists: (material: string, batch: string) =>
    businessError('12/032', `Batch ${batch} already exists for material ${material}`),
  movementTypeInvalid: (type: string, code: string) =>
    businessError('M7/065', `Movement type ${type} is not allowed with goods movement code ${code}`),
  documentMissing: (doc: string, year: string) =>
    businessError('M7/060', `Material document ${doc} ${year} does not exist`),
  documentReversed: (doc: string, year: string) =>
    businessError('M7/080', `Material document ${doc} ${year} has already been reversed`),
  inspectionLotMissing: (lot: string) => businessError('QA/001', `Inspection lot ${lot} does not exist`),
  usageDecisionMade: (lot: string) => businessError('QA/106', `Usage decision already made for inspection lot ${lot}`),
  inspectionLotDecided: (lot: string) =>
    businessError(
      'QA/107',
      `Inspection lot ${lot} has a usage decision or stock postings; goods receipt cannot be reversed`,
    ),
  inspectionQuantityExceeded: (lot: string, open: string) =>
    businessError('QA/210', `Quantity to be posted for inspection lot ${lot} is only ${open}`),
  invalid: (code: string, message: string) => businessError(code, message),
};
