import assert from 'node:assert/strict';
import { describeLot, describeTrace } from '../../../client/cli/lot';
import { LOT_STATUS_MAPPING } from '../../../domain/lot';
import type { LotStatusView } from '../../../workflows/lot/state';

describe('plantflow lot: human output', () => {
  it('shows status, systems, genealogy, inspections, holds and each signed record with its manifestation', () => {
    const view = {
      material: 'FG-100',
      lotId: 'L-1',
      site: '1710',
      status: 'released',
      disposition: 'UnRestricted',
      systems: LOT_STATUS_MAPPING.released,
      origin: 'produced',
      quantity: { value: '100', uom: 'EA' },
      production: [{ orderRef: 'PO-1' }],
      sla: { deadlineAt: '2026-11-28T00:00:00.000Z', overdue: false },
      needsAttention: false,
      parents: [{ material: 'RM-300', lotId: 'H-1001', quantity: { value: '100', uom: 'EA' } }],
      children: [],
      inspections: [
        { characteristic: 'PRESSURE', required: true, state: 'passed', value: '20', unit: 'bar', inspector: 'lab.kim' },
      ],
      holds: [],
      ncrs: [],
      parked: [],
      dispositions: [
        {
          recordId: 'LOT-FG-100-L-1-D1',
          manifestation: 'Approved for release — Marc Dubois (qp.marc) — 2026-11-23T10:00:00.000Z',
          signature: { recordHash: 'ab'.repeat(32) },
        },
      ],
    } as unknown as LotStatusView;
    const text = describeLot(view);
    assert.match(text, /^Lot L-1 of FG-100 at 1710: released \(ISA-95 UnRestricted\)/);
    assert.match(text, /Odoo WH\/Stock, SAP batch unrestricted \(unrestricted\)/);
    assert.match(text, /parents: {2}RM-300:H-1001 100 EA/);
    assert.match(text, /\* PRESSURE {5}passed 20 bar \(lab\.kim\)/);
    assert.match(text, /LOT-FG-100-L-1-D1: Approved for release — Marc Dubois \(qp\.marc\)/);
  });

  it('draws a trace as an indented tree with quantities, statuses and cut-offs', () => {
    const text = describeTrace({
      direction: 'backward',
      depth: 2,
      lots: [],
      root: {
        material: 'FG-200',
        lotId: 'C-1',
        key: 'FG-200:C-1',
        tracked: true,
        status: 'restricted',
        links: [
          {
            material: 'FG-100',
            lotId: 'L-1',
            key: 'FG-100:L-1',
            tracked: true,
            status: 'released',
            quantity: { value: '10', uom: 'EA' },
            truncated: 'depth',
            links: [],
          },
        ],
      },
    });
    assert.equal(
      text,
      ['Made from (depth 2):', '  FG-200:C-1  (restricted)', '    FG-100:L-1  (10 EA, released, …depth)'].join('\n'),
    );
  });
});
