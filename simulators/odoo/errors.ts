/**
 * Python exceptions as Odoo serialises them (`serialize_exception`): the class path in `name`, the
 * message, `args`, and the HTTP status JSON-2 uses for it (Odoo's exception classes, JSON-RPC and JSON-2).
 */
export class OdooError extends Error {
  constructor(
    /** e.g. `odoo.exceptions.UserError`, `builtins.AttributeError`. */
    readonly pythonName: string,
    message: string,
    /** Status on JSON-2 (`http_status` for UserError subclasses, werkzeug codes, else 500). */
    readonly httpStatus: number,
    readonly args: unknown[] = [message],
  ) {
    super(message);
  }

  serialize(): { name: string; message: string; arguments: unknown[]; context: Record<string, never>; debug: string } {
    // AccessDenied suppresses its traceback; others carry a short fake one.
    const debug =
      this.pythonName === 'odoo.exceptions.AccessDenied'
        ? ''
        : `Traceback (most recent call last):\n  (simulated)\n${this.pythonName}: ${this.message}\n`;
    return { name: this.pythonName, message: this.message, arguments: this.args, context: {}, debug };
  }
}

export const userError = (m: string) => new OdooError('odoo.exceptions.UserError', m, 422);
export const validationError = (m: string) => new OdooError('odoo.exceptions.ValidationError', m, 422);
export const accessError = (m: string) => new OdooError('odoo.exceptions.AccessError', m, 403);
export const accessDenied = (m = 'Access Denied') => new OdooError('odoo.exceptions.AccessDenied', m, 403);
export const missingError = (model: string, ids: number[], uid: number) =>
  new OdooError(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: ${uid})`,
    404,
  );
export const valueError = (m: string) => new OdooError('builtins.ValueError', m, 500);
export const typeError = (m: string) => new OdooError('builtins.TypeError', m, 500);
export const attributeError = (m: string) => new OdooError('builtins.AttributeError', m, 500);
export const keyError = (m: string) => new OdooError('builtins.KeyError', m, 500, [m]);
export const indexError = (m: string) => new OdooError('builtins.IndexError', m, 500);
export const serializationFailure = () =>
  new OdooError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 500);
/** werkzeug HTTP exceptions raised by the JSON-2 controller. */
export const httpError = (status: number, name: string, m: string) =>
  new OdooError(`werkzeug.exceptions.${name}`, m, status, [m, status]);
