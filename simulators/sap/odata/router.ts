import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimulatorServer } from '../../shared/server';
import { errorBody, FRAMEWORK_CODE, ODataError } from './errors';
import { genericRefs, handleRead, handleWrite, type Reply } from './handlers';
import type { ServiceDef } from './model';
import { basicAuthOk, CSRF_REQUIRED, SessionStore, writeTokenOk } from './session';
import { resolveTarget, type Target } from './target';

export const ODATA_PREFIX = '/sap/opu/odata/sap/';

export interface RouterOptions {
  server: SimulatorServer;
  services: ServiceDef[];
  user: string;
  password: string;
  sessions: SessionStore;
  /** Called after every applied write (persistence). */
  afterWrite(): void;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'MERGE', 'PUT', 'DELETE']);

/** Registers the Gateway-like entry point for all services on the simulator's fastify app. */
export function registerODataRoutes(options: RouterOptions): void {
  const { server } = options;
  const services = new Map(options.services.map((s) => [s.name, s]));
  // Gateway accepts empty bodies on function-import POSTs; fastify's default JSON parser does not.
  server.app.removeContentTypeParser('application/json');
  server.app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, { __invalidJson: true });
    }
  });
  // Function imports are often POSTed with an empty form-encoded body; anything non-JSON is kept as text.
  if (!server.app.hasContentTypeParser('*')) {
    server.app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) =>
      done(null, String(body) === '' ? undefined : String(body)),
    );
  }
  // OData V2 clients also use MERGE for partial updates.
  if (!server.app.supportedMethods.includes('MERGE')) server.app.addHttpMethod('MERGE', { hasBody: true });
  server.app.route({
    method: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'MERGE'],
    url: `${ODATA_PREFIX}*`,
    handler: async (request, reply) => {
      let serviceName: string | undefined;
      try {
        const answer = dispatch(options, services, request, (name) => (serviceName = name));
        return send(reply, answer);
      } catch (err) {
        if (err instanceof ODataError) return sendError(reply, err, serviceName);
        throw err;
      }
    },
  });
}

function dispatch(
  options: RouterOptions,
  services: Map<string, ServiceDef>,
  request: FastifyRequest,
  onService: (n: string) => void,
): Reply {
  const url = new URL(request.url, 'http://sim');
  const rawPath = url.pathname.slice(ODATA_PREFIX.length);
  const [serviceSegment = '', ...rawSegments] = rawPath.split('/');
  const serviceName = decodeURIComponent(serviceSegment).split(';')[0]!;
  onService(serviceName);
  if (!basicAuthOk(request.headers.authorization, options.user, options.password)) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="SAP NetWeaver Application Server [PFS/100]"' },
      text: '<html><head><title>Logon Error Message</title></head><body><h1>Anmeldung fehlgeschlagen / Logon failed</h1></body></html>',
      contentType: 'text/html; charset=utf-8',
    };
  }
  const client = url.searchParams.get('sap-client');
  if (client !== null && client !== '100') {
    return { status: 401, text: `Client ${client} is not available in this system`, contentType: 'text/plain' };
  }
  const service = services.get(serviceName);
  if (!service)
    throw new ODataError(
      403,
      FRAMEWORK_CODE,
      `No service found for namespace '/SAP/', name '${serviceName}', version '0001'`,
    );
  const method = methodOf(request);
  const segments = rawSegments.map((s) => decodeURIComponent(s));
  const extraHeaders: Record<string, string | string[]> = {};
  if (method === 'GET' || method === 'HEAD') {
    if (String(request.headers['x-csrf-token'] ?? '').toLowerCase() === 'fetch') {
      const { token, setCookies } = options.sessions.fetchToken(request.headers.cookie);
      extraHeaders['x-csrf-token'] = token;
      if (setCookies.length) extraHeaders['set-cookie'] = setCookies;
    }
    const target = resolveTarget(service, segments);
    const pageSize = Number(options.server.faults.special('serverPageSize', 0));
    const answer = handleRead(service, target, url, serviceUrl(request, serviceName), method, pageSize);
    // malformedResponseRate: a read answer outside the contract (tests the client's InvalidResponse path).
    const malformed = Number(options.server.faults.special('malformedResponseRate', 0));
    const json =
      answer.json !== undefined && malformed > 0 && options.server.faults.roll() < malformed
        ? { d: { results: 'garbled' } }
        : answer.json;
    return { ...answer, json, headers: { ...answer.headers, ...extraHeaders } };
  }
  if (!WRITE_METHODS.has(method)) throw new ODataError(405, FRAMEWORK_CODE, `Method ${method} is not supported`);
  return write(options, service, request, method, segments, url);
}

function write(
  options: RouterOptions,
  service: ServiceDef,
  request: FastifyRequest,
  method: string,
  segments: string[],
  url: URL,
): Reply {
  const { server } = options;
  let target: Target | undefined;
  let operation = `${service.name}.${method.toLowerCase()}`;
  let refs: Record<string, string> = {};
  const body = request.body;
  const record = (status: number, applied: boolean): void => {
    server.journal.record({ method, path: request.url, operation, refs, body, status, applied });
  };
  try {
    target = resolveTarget(service, segments);
    operation = operationName(target, method);
    refs = genericRefs(target, body, url);
    if (!writeTokenOk(options.sessions, request, server.faults.special('csrfExpireEvery', 0))) {
      record(403, false);
      return CSRF_REQUIRED;
    }
    if (body && typeof body === 'object' && (body as Record<string, unknown>).__invalidJson) {
      throw new ODataError(400, 'CX_SXML_PARSE_ERROR', 'Malformed JSON in request body');
    }
    const answer = handleWrite(service, target, method, request, url, serviceUrl(request, service.name), server.faults);
    refs = { ...refs, ...answer.refs };
    record(answer.reply.status, answer.reply.status < 300);
    if (answer.reply.status < 300) options.afterWrite();
    return answer.reply;
  } catch (err) {
    if (err instanceof ODataError) record(err.status, false);
    throw err;
  }
}

function operationName(target: Target, method: string): string {
  switch (target.kind) {
    case 'function':
      return target.fn.name;
    case 'collection':
    case 'entity':
    case 'navigation':
      return `${target.set.name}.${method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'patch'}`;
    default:
      return target.kind;
  }
}

function methodOf(request: FastifyRequest): string {
  const tunnel = request.headers['x-http-method'];
  if (request.method === 'POST' && typeof tunnel === 'string') return tunnel.toUpperCase();
  return request.method;
}

function serviceUrl(request: FastifyRequest, serviceName: string): string {
  return `http://${request.headers.host ?? '127.0.0.1'}${ODATA_PREFIX}${serviceName}`;
}

function send(reply: FastifyReply, answer: Reply): FastifyReply {
  reply.code(answer.status);
  for (const [k, v] of Object.entries(answer.headers ?? {})) reply.header(k, v);
  reply.header('dataserviceversion', '2.0');
  if (answer.json !== undefined) return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.json));
  if (answer.text !== undefined) return reply.type(answer.contentType ?? 'text/plain').send(answer.text);
  return reply.send();
}

function sendError(reply: FastifyReply, err: ODataError, serviceName: string | undefined): FastifyReply {
  return send(reply, { status: err.status, headers: err.options.headers, json: errorBody(err, serviceName) });
}
