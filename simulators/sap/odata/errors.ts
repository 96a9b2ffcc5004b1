import { randomBytes } from 'node:crypto';

/** One entry of `innererror.errordetails` / of a `sap-message` header. */
export interface SapMessage {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'success';
  target?: string;
}

/**
 * Anything the simulator refuses. Business refusals carry SAP's message id (`M7/021`); framework errors
 * (unknown segment, bad literal) carry a Gateway-style hex id, as a real system does (§3.5).
 */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { details?: SapMessage[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** Framework error code: a 32-hex id like Gateway's (it is a message GUID, not a message class). */
export const FRAMEWORK_CODE = '005056A509B11EE1B9A8FEC11C21D78E';

export const notFound = (segment: string): ODataError =>
  new ODataError(404, FRAMEWORK_CODE, `Resource not found for the segment '${segment}'.`);

export const badRequest = (message: string, code = '/IWBEP/CM_MGW_RT/000'): ODataError =>
  new ODataError(400, code, message);

/** A business refusal with its message class, the shape S/4 returns for BAPI errors. */
export const businessError = (code: string, message: string, status = 400): ODataError =>
  new ODataError(status, code, message, { details: [{ code, message, severity: 'error' }] });

function sapTimestamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}0000`;
}

/** The OData V2 error body exactly as Gateway writes it (§3.5). */
export function errorBody(error: ODataError, serviceId: string | undefined): unknown {
  const details = (error.options.details ?? []).map((d) => ({
    code: d.code,
    message: d.message,
    longtext_url: `/sap/opu/odata/iwbep/message_text;o=LOCAL/`,
    propertyref: '',
    severity: d.severity,
    target: d.target ?? '',
    transition: false,
  }));
  return {
    error: {
      code: error.code,
      message: { lang: 'en', value: error.message },
      innererror: {
        ...(serviceId
          ? {
              application: {
                component_id: 'PP-SFC-EXE-CON',
                service_namespace: '/SAP/',
                service_id: serviceId,
                service_version: '0001',
              },
            }
          : {}),
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
        timestamp: sapTimestamp(),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note: 'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
        },
        errordetails: details,
      },
    },
  };
}

/** `sap-message` header value for a success with warnings (§3.5). */
export function sapMessageHeader(messages: SapMessage[]): string | undefined {
  if (messages.length === 0) return undefined;
  const [first, ...rest] = messages;
  return JSON.stringify({
    code: first!.code,
    message: first!.message,
    severity: first!.severity,
    target: first!.target ?? '',
    details: rest.map((m) => ({ code: m.code, message: m.message, severity: m.severity, target: m.target ?? '' })),
  });
}
