import type { SimulatorServer } from '../../shared/server';
import { accessDenied, keyError, OdooError, typeError } from '../errors';
import { SIM_DATABASE, SIM_LOGIN, SIM_PASSWORD, SIM_UID } from '../seed';
import type { OdooVersionTraits } from '../version';
import type { OdooRuntime } from './runtime';

/**
 * The `common`, `object` and `db` services behind /jsonrpc: `login`/`authenticate`
 * answer a uid or False, `object.execute(_kw)` checks the password or API key on every call.
 */
export interface Credentials {
  apiKey: string;
}

export function versionInfo(traits: OdooVersionTraits): Record<string, unknown> {
  const serie = `${traits.major}.0`;
  return {
    server_version: serie,
    server_version_info: [traits.major, 0, 0, 'final', 0, ''],
    server_serie: serie,
    protocol_version: 1,
  };
}

export class RpcServices {
  private failures: number[] = [];

  constructor(
    private readonly traits: OdooVersionTraits,
    private readonly credentials: Credentials,
    private readonly runtime: OdooRuntime,
    private readonly server: SimulatorServer,
  ) {}

  validSecret(secret: unknown): boolean {
    return secret === SIM_PASSWORD || secret === this.credentials.apiKey;
  }

  private checkDb(db: unknown): void {
    if (db !== SIM_DATABASE) {
      throw new OdooError(
        'psycopg2.OperationalError',
        `connection to server failed: FATAL:  database "${String(db)}" does not exist`,
        500,
      );
    }
  }

  /** Login throttling (special faults loginCooldownAfter / loginCooldownSeconds): answers False meanwhile. */
  private onCooldown(): boolean {
    const after = this.server.faults.special('loginCooldownAfter', 0);
    if (!(after > 0)) return false;
    const window = this.server.faults.special('loginCooldownSeconds', 60) * 1000;
    this.failures = this.failures.filter((at) => Date.now() - at < window);
    return this.failures.length >= after;
  }

  private login(db: unknown, login: unknown, password: unknown): number | false {
    this.checkDb(db);
    if (this.onCooldown()) return false;
    if (login === SIM_LOGIN && this.validSecret(password)) return SIM_UID;
    this.failures.push(Date.now());
    return false;
  }

  private checkObjectCredentials(db: unknown, uid: unknown, password: unknown): void {
    this.checkDb(db);
    if (uid !== SIM_UID || !this.validSecret(password)) throw accessDenied();
  }

  dispatch(path: string, service: unknown, method: unknown, args: unknown[]): unknown {
    const arity = (n: number, max = n) => {
      if (args.length < n || args.length > max) {
        throw typeError(`exp_${String(method)}() takes ${n} positional arguments but ${args.length} were given`);
      }
    };
    if (service === 'common') {
      switch (method) {
        case 'version':
          return versionInfo(this.traits);
        case 'login':
          arity(3);
          return this.login(args[0], args[1], args[2]);
        case 'authenticate':
          arity(4);
          return this.login(args[0], args[1], args[2]);
        case 'about':
          return 'See http://openerp.com';
        default:
          throw keyError(`'exp_${String(method)}'`);
      }
    }
    if (service === 'object') {
      if (method === 'execute_kw') {
        arity(6, 7);
        this.checkObjectCredentials(args[0], args[1], args[2]);
        const kw = (args[6] ?? {}) as Record<string, unknown>;
        if (typeof kw !== 'object' || Array.isArray(kw)) throw typeError('execute_kw() kwargs must be a dict');
        const { context, ...kwargs } = kw;
        if (!Array.isArray(args[5])) throw typeError('execute_kw() args must be a list');
        return this.runtime.call({
          protocol: 'jsonrpc',
          path,
          model: String(args[3]),
          method: String(args[4]),
          positional: args[5],
          kwargs,
          context: (context ?? {}) as Record<string, unknown>,
        });
      }
      if (method === 'execute') {
        if (args.length < 5) throw typeError(`execute() missing required positional arguments`);
        this.checkObjectCredentials(args[0], args[1], args[2]);
        return this.runtime.call({
          protocol: 'jsonrpc',
          path,
          model: String(args[3]),
          method: String(args[4]),
          positional: args.slice(5),
          kwargs: {},
          context: {},
        });
      }
      throw keyError(`'${String(method)}'`);
    }
    if (service === 'db') {
      if (method === 'list') return [SIM_DATABASE];
      if (method === 'server_version') return `${this.traits.major}.0`;
      throw accessDenied();
    }
    throw keyError(`'${String(service)}'`);
  }
}
