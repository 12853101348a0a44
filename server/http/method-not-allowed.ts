/**
 * 405 Method Not Allowed for the API (RFC 9110 §15.5.6): a request to an API path that
 * exists, with a method it does not take, is answered 405 `method_not_allowed` with an
 * `Allow` header listing the methods it does take, instead of Fastify's 404 (which told a
 * client that sent PUT instead of PATCH that the context did not exist).
 *
 * Fastify routes by method first, so this watches the API routes as they are registered
 * (onRoute) and, once they all are, registers the missing methods of each path as routes
 * that answer 405. They carry no access config: the answer names methods, never data.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { errorBody } from '../errors';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Starts watching `app`'s routes under `prefix`; returns the function that registers the
 * 405 routes (call it after the API routes, before the app is ready).
 */
export function watchApiMethods(app: FastifyInstance, prefix = '/api/'): () => void {
  const methodsByUrl = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method.toUpperCase());
    methodsByUrl.set(route.url, methods);
  });
  return () => {
    // A copy: registering the 405 routes fires onRoute again.
    for (const [url, methods] of [...methodsByUrl]) {
      const allowed = METHODS.filter((method) => methods.has(method));
      const missing = METHODS.filter((method) => !methods.has(method));
      if (missing.length === 0) continue;
      const allow = allowed.join(', ');
      app.route({
        method: missing as HTTPMethods[],
        url,
        // Not operations of the API: kept out of the OpenAPI document.
        schema: { hide: true },
        handler: (request, reply) =>
          reply
            .code(405)
            .header('Allow', allow)
            .send(errorBody('method_not_allowed', `${request.method} is not allowed here; this path takes ${allow}`, { allow: allowed })),
      });
    }
  };
}
