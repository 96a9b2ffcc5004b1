import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Security sessions and CSRF tokens the way Gateway binds them (§3.1): a GET with `X-CSRF-Token: Fetch`
 * opens (or reuses) a session identified by a cookie and returns its token; a modifying request must carry
 * both the cookie and the token, else 403 with `x-csrf-token: Required`.
 */
export const SESSION_COOKIE = 'SAP_SESSIONID_PFS_100';

interface Session {
  token: string | undefined;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export class SessionStore {
  private sessions = new Map<string, Session>();
  private writeCount = 0;
  /** Token fetches answered since the last reset (lets tests prove concurrent writes share one fetch). */
  tokenFetches = 0;

  /** Answers a token fetch: the session's token (new session and cookies when the client has none). */
  fetchToken(cookieHeader: string | undefined): { token: string; setCookies: string[] } {
    this.tokenFetches += 1;
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    let session = id ? this.sessions.get(id) : undefined;
    const setCookies: string[] = [];
    let sessionId = id;
    if (!session) {
      sessionId = randomBytes(24).toString('base64url');
      session = { token: undefined };
      this.sessions.set(sessionId, session);
      setCookies.push(`${SESSION_COOKIE}=${sessionId}; path=/; HttpOnly`, 'sap-usercontext=sap-client=100; path=/');
    }
    session.token ??= randomBytes(16).toString('base64');
    return { token: session.token, setCookies };
  }

  /**
   * Checks a modifying request. `expireEvery` is the csrfExpireEvery fault: N expires the session's token
   * on every N-th write (the client must refetch), true/'always' refuses every write.
   */
  checkWrite(
    cookieHeader: string | undefined,
    token: string | undefined,
    expireEvery: number | boolean | string,
  ): boolean {
    this.writeCount += 1;
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || !session.token || !token || token !== session.token) return false;
    const every = expireEvery === true || expireEvery === 'always' ? 1 : Number(expireEvery) || 0;
    if (every > 0 && this.writeCount % every === 0) {
      session.token = undefined;
      return false;
    }
    return true;
  }

  reset(): void {
    this.sessions.clear();
    this.writeCount = 0;
    this.tokenFetches = 0;
  }
}

/** Basic auth check; the simulator has one communication user. */
export function basicAuthOk(header: string | undefined, user: string, password: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded === `${user}:${password}`;
}

/** Gateway's answer to a write without a valid token and session cookie. */
export const CSRF_REQUIRED = {
  status: 403,
  headers: { 'x-csrf-token': 'Required' },
  text: 'CSRF token validation failed',
  contentType: 'text/plain; charset=utf-8',
};

/** True when a modifying request carries the session's token and cookie (`csrfExpireEvery` applied). */
export function writeTokenOk(
  sessions: SessionStore,
  request: FastifyRequest,
  expireEvery: number | boolean | string,
): boolean {
  const token = request.headers['x-csrf-token'];
  return sessions.checkWrite(request.headers.cookie, typeof token === 'string' ? token : undefined, expireEvery);
}
