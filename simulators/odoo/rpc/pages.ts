import type { FastifyReply } from 'fastify';

/** What sits in front of Odoo answers in HTML: nginx for 429/5xx, werkzeug for 400/404. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function proxyPage(status: number): string {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export function werkzeugPage(status: number, description: string): string {
  const reason = REASONS[status] ?? 'Error';
  const escaped = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${reason}</title>\n<h1>${reason}</h1>\n<p>${escaped}</p>\n`;
}

export function odooFaultReply(reply: FastifyReply, status: number, _reason: string): FastifyReply {
  return reply.code(status).type('text/html').send(proxyPage(status));
}

/** Special fault `malformedResponseRate`: a 200 that is not the protocol at all (a maintenance page). */
export const MAINTENANCE_PAGE =
  '<!DOCTYPE html><html><head><title>Odoo</title></head><body><h1>Database maintenance in progress</h1></body></html>';
