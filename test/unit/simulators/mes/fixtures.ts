/** A dispatch body for the demo plant's FG-100 routing (two operations, three components). */
export function dispatchBody(orderRef: string, material = 'FG-100', value = '100') {
  return {
    orderRef,
    material,
    quantity: { value, uom: 'EA' },
    operations: [
      { operation: '0010', workCenter: 'ASSY1', description: 'Assemble housing and impeller' },
      { operation: '0020', workCenter: 'TEST1', description: 'Coat and pressure test' },
    ],
    components: [
      { material: 'RM-300', quantity: { value, uom: 'EA' }, operation: '0010', lotIds: ['H-1001', 'H-1002'] },
      { material: 'RM-310', quantity: { value, uom: 'EA' }, operation: '0010' },
      { material: 'RM-400', quantity: { value: '25', uom: 'KGM' }, operation: '0020' },
    ],
  };
}
