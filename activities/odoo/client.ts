import { z } from 'zod';
import { businessRuleFailure } from '../shared/failures';
import { createHttpClient, parseResponse } from '../shared/http';
import type { OdooCall, OdooTransport } from './transport';
import { Json2Transport, JsonRpcTransport } from './transport';
import { odooTraits, type OdooTraits, type OdooVersion } from './versions';

/** Shape of PlantflowConfig['odoo'] the adapter needs (runtime/config.ts). */
export interface OdooConnection {
  url: string;
  version: OdooVersion;
  database: string;
  login: string;
  apiKey: string;
  companyId: number;
  timeoutMs: number;
}

export type Domain = unknown[];

/** Many2one as read() returns it: [id, display_name] or false. */
export const m2oSchema = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]);
export const idsSchema = z.array(z.number().int());
const idSchema = z.number().int().positive();

export const m2oId = (value: z.infer<typeof m2oSchema>): number | undefined => (value === false ? undefined : value[0]);
export const m2oName = (value: z.infer<typeof m2oSchema>): string | undefined =>
  value === false ? undefined : value[1];

export interface CallOptions {
  ids?: number[];
  kwargs?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/**
 * The Odoo protocol client the verbs use: the transport the configured version speaks, the company
 * context on every call, and zod on every answer a verb relies on.
 */
export class OdooClient {
  readonly traits: OdooTraits;

  constructor(
    private readonly transport: OdooTransport,
    version: OdooVersion,
    readonly companyId: number,
  ) {
    this.traits = odooTraits(version);
  }

  static fromConnection(c: OdooConnection): OdooClient {
    const http = createHttpClient({ system: 'odoo', baseURL: c.url, timeoutMs: c.timeoutMs });
    const credentials = { database: c.database, login: c.login, apiKey: c.apiKey };
    const transport =
      odooTraits(c.version).protocol === 'json2'
        ? new Json2Transport(http, credentials)
        : new JsonRpcTransport(http, credentials);
    return new OdooClient(transport, c.version, c.companyId);
  }

  /** Generic method call (action_confirm, button_mark_done, message_post…); the raw JSON result. */
  call(model: string, method: string, options: CallOptions = {}): Promise<unknown> {
    const call: OdooCall = {
      model,
      method,
      ids: options.ids,
      kwargs: options.kwargs,
      context: { allowed_company_ids: [this.companyId], ...options.context },
    };
    return this.transport.call(call);
  }

  async callParsed<S extends z.ZodType>(
    schema: S,
    model: string,
    method: string,
    options: CallOptions = {},
  ): Promise<z.infer<S>> {
    return parseResponse('odoo', schema, await this.call(model, method, options), `${model}.${method} result`);
  }

  searchRead<S extends z.ZodType>(
    model: string,
    domain: Domain,
    fields: string[],
    schema: S,
    options: { limit?: number; order?: string } = {},
  ): Promise<z.infer<S>[]> {
    return this.callParsed(z.array(schema), model, 'search_read', { kwargs: { domain, fields, ...options } });
  }

  async searchOne<S extends z.ZodType>(
    model: string,
    domain: Domain,
    fields: string[],
    schema: S,
    order?: string,
  ): Promise<z.infer<S> | undefined> {
    const rows = await this.searchRead(model, domain, fields, schema, { limit: 1, ...(order ? { order } : {}) });
    return rows[0];
  }

  read<S extends z.ZodType>(model: string, ids: number[], fields: string[], schema: S): Promise<z.infer<S>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.callParsed(z.array(schema), model, 'read', { ids, kwargs: { fields } });
  }

  async readOne<S extends z.ZodType>(model: string, id: number, fields: string[], schema: S): Promise<z.infer<S>> {
    const [row] = await this.read(model, [id], fields, schema);
    if (row === undefined) throw businessRuleFailure(`Odoo has no ${model} record ${id}`, { system: 'odoo', model });
    return row;
  }

  search(model: string, domain: Domain, options: { limit?: number; order?: string } = {}): Promise<number[]> {
    return this.callParsed(idsSchema, model, 'search', { kwargs: { domain, ...options } });
  }

  /** Creates one record; both protocols answer a list of ids for a list of values. */
  async create(model: string, vals: Record<string, unknown>, context?: Record<string, unknown>): Promise<number> {
    const ids = await this.callParsed(z.union([idsSchema, idSchema]), model, 'create', {
      kwargs: { vals_list: [vals] },
      context,
    });
    const id = Array.isArray(ids) ? ids[0] : ids;
    return parseResponse('odoo', idSchema, id, `${model}.create id`);
  }

  async write(
    model: string,
    ids: number[],
    vals: Record<string, unknown>,
    context?: Record<string, unknown>,
  ): Promise<void> {
    await this.callParsed(z.literal(true), model, 'write', { ids, kwargs: { vals }, context });
  }

  async unlink(model: string, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.callParsed(z.literal(true), model, 'unlink', { ids });
  }

  /** `load(fields, rows)`: the import API; an `id` column upserts by external id in one transaction. */
  async load(model: string, fields: string[], rows: string[][]): Promise<number[]> {
    const result = await this.callParsed(
      z
        .object({
          ids: z.union([idsSchema, z.literal(false)]),
          messages: z.array(z.object({ type: z.string(), message: z.string() }).loose()),
        })
        .loose(),
      model,
      'load',
      { kwargs: { fields, data: rows } },
    );
    const errors = result.messages.filter((m) => m.type === 'error');
    if (result.ids === false || errors.length > 0) {
      throw businessRuleFailure(
        `Odoo refused to import ${model}: ${errors.map((m) => m.message).join('; ') || 'no ids returned'}`,
        {
          system: 'odoo',
          model,
          method: 'load',
        },
      );
    }
    return result.ids;
  }
}
