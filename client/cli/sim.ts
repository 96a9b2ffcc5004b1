import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assertSimulatedErps, createErpOrders } from '../../demo/erp';
import { productionOrderSchema, type ProductionOrderInput } from '../../domain/order';
import { PlantflowInputError } from '../errors';
import { cliConfig } from './context';

/** The planner's side in the simulated ERPs, for trying plantflow without a real Odoo or SAP. */
export function simCommand(program: Command): void {
  const sim = program.command('sim').description('Act as the planner in the simulated Odoo and SAP (simulators only)');

  sim
    .command('create-order <file>')
    .description(
      'Create the SAP production order and the Odoo MO of the canonical order in <file>; print the order with their erp references',
    )
    .option('--order-ref <ref>', 'use this orderRef instead of the one in the file')
    .action(async (file: string, o: { orderRef?: string }) => {
      const config = cliConfig();
      assertSimulatedErps(config, 'plantflow sim');
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProductionOrderInput>;
      const input = { ...raw, ...(o.orderRef ? { orderRef: o.orderRef } : {}) };
      // The erp references are what this command creates: checked with stand-ins, replaced below.
      const checked = productionOrderSchema.safeParse({ erp: { odooMo: 'new', sapOrder: '0' }, ...input });
      if (!checked.success) throw PlantflowInputError.fromZod(`order in ${file}`, checked.error);
      const order = checked.data;
      const erp = await createErpOrders(config, {
        material: order.material,
        quantity: Number(order.quantity.value),
        origin: order.orderRef,
        site: order.site,
      });
      process.stderr.write(
        `created SAP production order ${erp.sapOrder} and Odoo ${erp.odooMo} for ${order.orderRef} (${order.quantity.value} ${order.quantity.uom} of ${order.material})\n`,
      );
      process.stdout.write(`${JSON.stringify({ ...input, erp }, null, 2)}\n`);
    });
}
