import { httpError, typeError } from '../errors';
import type { MethodSpec } from '../orm/types';

/**
 * Binds positional and keyword arguments to a method's Python signature. call_kw reports a TypeError
 * (JSON-RPC); the JSON-2 controller uses inspect.signature().bind and answers 422 with its message.
 */
export function bindArguments(
  spec: MethodSpec,
  method: string,
  positional: unknown[],
  kwargs: Record<string, unknown>,
  style: 'call_kw' | 'json2',
): Record<string, unknown> {
  const params = spec.params.map((p) => ({ name: p.replace(/\?$/, ''), optional: p.endsWith('?') }));
  const fail = (pythonMessage: string, inspectMessage: string) =>
    style === 'call_kw' ? typeError(pythonMessage) : httpError(422, 'UnprocessableEntity', inspectMessage);
  if (positional.length > params.length) {
    throw fail(
      `${method}() takes ${params.length + 1} positional arguments but ${positional.length + 1} were given`,
      'too many positional arguments',
    );
  }
  const bound: Record<string, unknown> = {};
  positional.forEach((value, i) => {
    bound[params[i]!.name] = value;
  });
  for (const [key, value] of Object.entries(kwargs)) {
    if (params.some((p) => p.name === key)) {
      if (key in bound)
        throw fail(`${method}() got multiple values for argument '${key}'`, `multiple values for argument '${key}'`);
      bound[key] = value;
    } else if (spec.varKw) {
      bound[key] = value;
    } else {
      throw fail(
        `${method}() got an unexpected keyword argument '${key}'`,
        `got an unexpected keyword argument '${key}'`,
      );
    }
  }
  const missing = params.find((p) => !p.optional && !(p.name in bound));
  if (missing) {
    throw fail(
      `${method}() missing 1 required positional argument: '${missing.name}'`,
      `missing a required argument: '${missing.name}'`,
    );
  }
  return bound;
}
