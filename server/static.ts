/**
 * The built dashboard: files from dist/ at `/`, index.html for any other page a browser
 * asks for (the SPA's router decides), hashed assets cached for a year, index.html never
 * cached stale. Without a build, pages answer a 503 that says how to make one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const NOT_BUILT =
  'The dashboard has not been built yet: run `npm run build` (or `npm start`, which builds it), then restart the server.\n' +
  'The API is available under /api.\n';

/** Vite puts content-hashed files under assets/: they never change under the same name. */
const isHashedAsset = (path: string): boolean => /[\\/]assets[\\/]/.test(path);

export interface Dashboard {
  built: boolean;
  /** Answers a page request (GET/HEAD that accepts HTML) with index.html or the 503. */
  sendPage(reply: FastifyReply): FastifyReply;
}

export async function registerDashboard(app: FastifyInstance, distDir: string): Promise<Dashboard> {
  const built = existsSync(join(distDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      index: false,
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header('Cache-Control', isHashedAsset(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  const sendPage = (reply: FastifyReply): FastifyReply => {
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT);
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  };
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply));
  return { built, sendPage };
}

/** A navigation the SPA should answer: GET or HEAD that accepts HTML, outside /api. */
export const isPageRequest = (request: FastifyRequest): boolean =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !isApiPath(request.url) &&
  (request.headers.accept ?? '').includes('text/html');

export const isApiPath = (url: string): boolean => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
