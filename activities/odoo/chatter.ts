import { z } from 'zod';
import type { OdooClient } from './client';
import { keyMarker } from './keys';
import { refuse, requireLot, requireProduct } from './lookup';
import type { OdooChatterResult, OdooPostChatterNoteInput } from './types';

/**
 * An internal note in a record's chatter (mail.thread.message_post). The body ends with the key's
 * marker; an existing message with it is the earlier post. Odoo escapes a plain-string body.
 */
async function resolveRecord(client: OdooClient, input: OdooPostChatterNoteInput): Promise<number> {
  if (input.resId !== undefined) return input.resId;
  if (!input.resName) throw refuse('A chatter note needs resId or resName');
  if (input.model === 'stock.lot') {
    if (!input.material) throw refuse('A note on a lot needs its material (lot names are unique per product)');
    return (await requireLot(client, await requireProduct(client, input.material), input.resName)).id;
  }
  const ids = await client.search(input.model, [['name', '=', input.resName]], { limit: 2 });
  if (ids.length !== 1)
    throw refuse(`Odoo has ${ids.length === 0 ? 'no' : 'several'} ${input.model} named ${input.resName}`);
  return ids[0]!;
}

export async function postChatterNote(client: OdooClient, input: OdooPostChatterNoteInput): Promise<OdooChatterResult> {
  const resId = await resolveRecord(client, input);
  const marker = keyMarker(input.idempotencyKey);
  const existing = await client.search(
    'mail.message',
    [
      ['model', '=', input.model],
      ['res_id', '=', resId],
      ['body', 'ilike', marker],
    ],
    { limit: 1 },
  );
  if (existing[0] !== undefined) return { messageId: existing[0], created: false };
  // 17/18 downgrade the returned message to its id; 19 turns any recordset into a list of ids.
  const answer = await client.callParsed(
    z.union([z.number().int(), z.array(z.number().int()).length(1)]),
    input.model,
    'message_post',
    {
      ids: [resId],
      kwargs: {
        body: `${input.body}\n(plantflow ref ${marker})`,
        message_type: 'comment',
        subtype_xmlid: 'mail.mt_note',
      },
    },
  );
  return { messageId: Array.isArray(answer) ? answer[0]! : answer, created: true };
}
