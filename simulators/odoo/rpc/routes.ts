import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimulatorServer } from '../../shared/server';
import { httpError, OdooError, typeError } from '../errors';
import { SIM_DATABASE } from '../seed';
import type { OdooVersionTraits } from '../version';
import { MAINTENANCE_PAGE, proxyPage, werkzeugPage } from './pages';
import { CommitThenError, type OdooRuntime } from './runtime';
import { versionInfo, type RpcServices } from './services';

export interface RouteDeps {
  server: SimulatorServer;
  traits: OdooVersionTraits;
  services: RpcServices;
  runtime: OdooRuntime;
  apiKey: string;
}

const asOdooError = (err: unknown): OdooError =>
  err instanceof OdooError
    ? err
    : new OdooError('builtins.Exception', err instanceof Error ? err.message : String(err), 500);

function malformed(deps: RouteDeps): boolean {
  return deps.server.faults.special('malformedResponseRate', 0) > deps.server.faults.roll();
}

/** JSON-RPC 2.0 over HTTP 200: `result` omitted for None, errors in `error.data`. */
function registerJsonRpc(app: FastifyInstance, deps: RouteDeps): void {
  const handle =
    (answer: (params: Record<string, unknown>) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
      if (malformed(deps)) return reply.code(200).type('text/html').send(MAINTENANCE_PAGE);
      const mime = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (mime !== 'application/json' && mime !== 'application/json-rpc') {
        const text = `Request inferred type is compatible with ['http'] but '${request.url}' is type='json'.`;
        return reply.code(400).type('text/html; charset=utf-8').send(werkzeugPage(400, text));
      }
      let body: unknown;
      try {
        body = JSON.parse(String(request.body ?? ''));
      } catch {
        return reply.code(400).type('text/plain').send('Invalid JSON data');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return reply.code(400).type('text/plain').send('Invalid JSON-RPC data');
      const id = (body as { id?: unknown }).id ?? null;
      try {
        const params = (body as { params?: unknown }).params ?? {};
        if (typeof params !== 'object' || params === null || Array.isArray(params))
          throw typeError("'list' object is not a mapping");
        const result = answer(params as Record<string, unknown>);
        return reply.send({ jsonrpc: '2.0', id, ...(result === undefined || result === null ? {} : { result }) });
      } catch (err) {
        if (err instanceof CommitThenError) return reply.code(502).type('text/html').send(proxyPage(502));
        const error = asOdooError(err);
        return reply.send({
          jsonrpc: '2.0',
          id,
          error: { code: deps.traits.jsonRpcErrorCode, message: 'Odoo Server Error', data: error.serialize() },
        });
      }
    };
  app.post(
    '/jsonrpc',
    handle((params) => {
      const args = params.args ?? [];
      if (!Array.isArray(args)) throw typeError('dispatch_rpc() argument after * must be an iterable');
      return deps.services.dispatch('/jsonrpc', params.service, params.method, args);
    }),
  );
  app.post(
    '/web/webclient/version_info',
    handle(() => versionInfo(deps.traits)),
  );
}

/** JSON-2 (19.0+): bearer API key, named arguments, bare JSON results, HTTP statuses for errors (§1c). */
function registerJson2(app: FastifyInstance, deps: RouteDeps): void {
  const fail = (reply: FastifyReply, error: OdooError) =>
    reply.code(error.httpStatus).type('application/json; charset=utf-8').send(error.serialize());
  app.post('/json/2/:model/:method', async (request, reply) => {
    if (malformed(deps)) return reply.code(200).type('text/html').send(MAINTENANCE_PAGE);
    const { model, method } = request.params as { model: string; method: string };
    const auth = /^bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ''));
    if (!auth || auth[1]!.trim() !== deps.apiKey) return fail(reply, httpError(401, 'Unauthorized', 'Invalid apikey'));
    const database = request.headers['x-odoo-database'];
    if (database !== undefined && database !== SIM_DATABASE)
      return fail(reply, httpError(404, 'NotFound', `database '${String(database)}' not found`));
    let body: unknown;
    try {
      body = JSON.parse(String(request.body ?? '') || '{}');
    } catch (err) {
      return fail(reply, httpError(400, 'BadRequest', `could not parse the body as json: ${(err as Error).message}`));
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return fail(reply, httpError(400, 'BadRequest', 'the body must be a JSON object'));
    const { ids, context, ...kwargs } = body as Record<string, unknown>;
    try {
      const result = deps.runtime.call({
        protocol: 'json2',
        path: request.url,
        model,
        method,
        positional: [],
        kwargs,
        ids,
        context: (context ?? {}) as Record<string, unknown>,
      });
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(result ?? null));
    } catch (err) {
      if (err instanceof CommitThenError) return reply.code(502).type('text/html').send(proxyPage(502));
      return fail(reply, asOdooError(err));
    }
  });
  const didYouMean = async (_request: FastifyRequest, reply: FastifyReply) =>
    fail(reply, httpError(404, 'NotFound', 'Did you mean POST /json/2/<model>/<method>?'));
  app.all('/json/2', didYouMean);
  app.all('/json/2/*', didYouMean);
  app.get('/json/version', async () => ({
    version_info: [deps.traits.major, 0, 0, 'final', 0, ''],
    version: `${deps.traits.major}.0`,
  }));
}

export function registerOdooRoutes(deps: RouteDeps): void {
  const { server, traits } = deps;
  void server.app.register(async (app) => {
    // Odoo reads raw bodies itself (its errors for bad JSON differ per route), so take every body as text.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    registerJsonRpc(app, deps);
    if (traits.json2) registerJson2(app, deps);
    app.get('/web/version', async () => ({
      version_info: [traits.major, 0, 0, 'final', 0, ''],
      version: `${traits.major}.0`,
    }));
    app.get('/web/health', async () => ({ status: 'pass' }));
  });
  server.app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(werkzeugPage(404, `The requested URL ${request.url.split('?')[0]} was not found on the server.`)),
  );
}
