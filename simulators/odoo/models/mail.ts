import { userError, valueError } from '../errors';
import type { Env } from '../orm/env';
import { RecordSet, type MethodSpec } from '../orm/types';

/** mail.thread.message_post over RPC: a plain-string body is escaped, not interpreted as HTML. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}

export function messagePost(model: string): MethodSpec {
  return {
    params: [],
    varKw: true,
    returnsSingle: true,
    run: (env: Env, ids, args) => {
      if (ids.length !== 1) throw valueError(`Expected singleton: ${model}(${ids.join(', ')})`);
      const rec = env.get(model, ids[0]);
      const raw = typeof args.body === 'string' ? args.body : '';
      const body = args.body_is_html ? raw : escapeHtml(raw).replace(/\n/g, '<br>');
      const subtypeXmlid = typeof args.subtype_xmlid === 'string' ? args.subtype_xmlid : 'mail.mt_note';
      const subtype = env.all('ir.model.data').find((d) => `${String(d.module)}.${String(d.name)}` === subtypeXmlid);
      if (!subtype) throw valueError(`External ID not found in the system: ${subtypeXmlid}`);
      const messageType = typeof args.message_type === 'string' ? args.message_type : 'notification';
      if (messageType === 'user_notification') throw userError('Use message_notify to send a notification to an user.');
      const author = env.get('res.users', env.uid).partner_id;
      const message = env.create('mail.message', {
        body,
        subject: args.subject ?? false,
        model,
        res_id: rec.id,
        record_name: env.displayName(model, rec),
        message_type: messageType,
        subtype_id: subtype.res_id,
        author_id: author,
        date: env.now(),
      });
      return new RecordSet('mail.message', [message.id]);
    },
  };
}
