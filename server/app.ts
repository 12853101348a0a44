/**
 * buildApp(config) wires the server: store, keys, sessions, limits, security headers,
 * the API routes, the OpenAPI document and the dashboard. It does not listen, so tests
 * and main.ts decide how to run it.
 */
import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Role } from '../contract/constants';
import { createAccessHook } from './auth/access';
import { registerJsonBodies } from './http/json-body';
import { setUpApiKeys, type ApiKeySetup } from './auth/keys';
import { SessionManager } from './auth/sessions';
import { fastifyTrustProxy, type ServerConfig } from './config';
import { ApiError, createErrorHandler, errorBody } from './errors';
import { RateLimits, SignInLimiter } from './rate-limit';
import { registerContextRoutes } from './routes/execution-contexts';
import { registerHealthRoute, registerReadyRoute } from './routes/health';
import { registerOpenApi, registerOpenApiRoute } from './routes/openapi';
import { registerSessionRoutes } from './routes/session';
import { registerHistoryRoutes } from './routes/history';
import { registerKeyRoutes } from './routes/keys';
import { KeyAdmin } from './auth/key-admin';
import { startPruner } from './history/pruner';
import { ensurePrivateDir } from './private-files';
import { isApiPath, isPageRequest, registerDashboard } from './static';
import { watchApiMethods } from './http/method-not-allowed';
import { openStore } from './store/open';
import type { ContextStore } from './store/types';

export interface BuildOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** Use this store instead of opening the configured one (openStore). */
  store?: ContextStore;
}

export interface BuiltApp {
  app: FastifyInstance;
  store: ContextStore;
  /** The plaintext key of each role (from the environment or the key file); a role whose
   *  key another instance created (shared store) has none. */
  keys: Partial<Record<Role, string>>;
  /** Where each key came from, the key file's path and which keys were just generated. */
  keySetup: Omit<ApiKeySetup, 'ring' | 'keys'>;
}

/** Never log credentials: pino replaces these paths before a line is written. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body.api_key',
];

/**
 * Content-Security-Policy for the built dashboard: scripts and workers only from this
 * origin (Monaco's editor and JSON workers are ES modules emitted by Vite), inline styles
 * (Monaco and Radix set style attributes), fonts from self or data: (Monaco's codicons).
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  workerSrc: ["'self'"],
  childSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // The server is usually reached over plain http on localhost; upgrading would break it.
  upgradeInsecureRequests: null,
};

/** A URL longer than any legitimate one still reaches our 414 instead of Node's 431. */
const MAX_HEADER_BYTES = 64 * 1024;

/** How often an instance on a shared store reloads the API key hashes from the database:
 *  a key replaced through another instance stops working here within this time. */
export const KEY_RELOAD_MS = 5_000;

/**
 * Builds the app on `config` (does not listen), on the configured store (PostgreSQL when
 * config.database is set, else SQLite in dataDir). Creates `config.dataDir` 0700 and every
 * file in it 0600, narrowing existing ones open to others with a logged warning. Rejects
 * when the data folder or the store cannot be opened (database unreachable at start,
 * schema newer than this build), or the keys cannot be set up; the store is closed again
 * in that case.
 */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<BuiltApp> {
  const app = Fastify({
    // Off unless TRUST_PROXY says which proxies may name the client: otherwise
    // X-Forwarded-For is ignored and request.ip (sign-in limiting, logs) is the socket's
    // peer, so a client cannot choose its own address.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    // Ids are checked by the contract's schema (≤ 200 characters, else 404); the router
    // must not turn a long id into a route miss first.
    routerOptions: { maxParamLength: MAX_HEADER_BYTES },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    // Closing: Node's server.close() drops idle keep-alive sockets and lets requests in
    // flight finish (Fastify's default), which is the graceful shutdown main.ts wants.
  });

  // Before anything is written there; warnings go to the server's log.
  const warn = (message: string) => app.log.warn(message);
  ensurePrivateDir(config.dataDir, warn);
  const store =
    options.store ??
    (await openStore(config, {
      warn,
      // An idle connection dropped by the database (restart, failover): the pool replaces
      // it on the next query; only worth a warning.
      onPoolError: (error) => app.log.warn({ message: error.message }, 'database connection lost'),
    }).catch(async (error: unknown) => {
      await app.close();
      throw error;
    }));
  let keyReload: NodeJS.Timeout | undefined;

  try {
    const keySetup = await setUpApiKeys(store, config.dataDir, config.apiKeys, warn);
    const keyAdmin = new KeyAdmin(store, keySetup.ring, undefined, (error) =>
      app.log.warn({ err: error }, 'could not record when a key was last used'),
    );
    const sessions = new SessionManager(store, keySetup.ring, {
      ttlHours: config.sessionTtlHours,
      cookieSecure: config.cookieSecure,
    });
    const makeLimiter = store.rateLimiter.bind(store);
    const rateLimits = new RateLimits(config.rateLimits, config.rateLimitWindows, makeLimiter);
    const signInLimiter = new SignInLimiter(config.signInFailuresPerMinute, makeLimiter);
    if (store.shared) {
      keyReload = setInterval(() => {
        store.activeKeys().then(
          (active) => keySetup.ring.reload(active),
          (error: unknown) => app.log.debug({ message: (error as Error).message }, 'key reload failed; keeping the last keys'),
        );
      }, KEY_RELOAD_MS);
      keyReload.unref();
    }

    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // Only JSON bodies: Fastify's built-in text/plain parser would turn a mislabelled
    // body into a confusing validation error instead of a 415.
    app.removeContentTypeParser('text/plain');
    registerJsonBodies(app);
    app.setErrorHandler(
      createErrorHandler({ bodyLimit: config.bodyLimit, isUnavailable: (error) => store.isUnavailable(error) }),
    );

    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      // HSTS only means something behind HTTPS, which COOKIE_SECURE signals.
      strictTransportSecurity: config.cookieSecure,
    });
    await app.register(fastifyCookie);
    // Compress what is worth it: list pages of contexts and the dashboard's bundles (the
    // first load is ~3× smaller gzipped). Brotli at a middle quality: the default (11) costs
    // seconds on Monaco's 1.4 MB chunk for a few percent less.
    await app.register(fastifyCompress, {
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
      zlibOptions: { level: 6 },
    });
    await registerOpenApi(app);

    app.addHook('onRequest', async (request, reply) => {
      const queryStart = request.url.indexOf('?');
      if (queryStart >= 0 && Buffer.byteLength(request.url) - queryStart - 1 > config.maxQueryStringBytes) {
        throw new ApiError(414, 'uri_too_long', `the query string is longer than ${config.maxQueryStringBytes} bytes`, {
          limit_bytes: config.maxQueryStringBytes,
        });
      }
      // API answers hold contexts and session state: never keep them in a cache.
      if (isApiPath(request.url)) reply.header('Cache-Control', 'no-store');
    });
    app.addHook('onRequest', createAccessHook(keySetup.ring, sessions, rateLimits, (principal) => keyAdmin.touch(principal.keyId)));

    const registerMethodNotAllowed = watchApiMethods(app);
    registerHealthRoute(app, store);
    registerReadyRoute(app, store);
    registerOpenApiRoute(app);
    registerSessionRoutes(app, { ring: keySetup.ring, sessions, rateLimits, signInLimiter, store, history: config.history });
    registerContextRoutes(app, store, config.history);
    registerHistoryRoutes(app, store, config.history);
    registerKeyRoutes(app, keyAdmin);
    registerMethodNotAllowed();
    const dashboard = await registerDashboard(app, config.distDir);

    app.setNotFoundHandler((request, reply) => {
      if (isPageRequest(request)) return dashboard.sendPage(reply);
      const path = request.url.split('?')[0] ?? '';
      const shown = path.length > 100 ? `${path.slice(0, 100)}…` : path;
      const what = isApiPath(request.url) ? 'API route' : 'file';
      return reply.code(404).send(errorBody('not_found', `no ${what} ${request.method} ${shown}`));
    });

    // Pruning runs on a timer, never on a request's path; it stops before the store closes.
    const pruner = startPruner(store, config.history, app.log);
    store.startBackgroundWork?.((error) => app.log.warn({ err: error }, 'background search indexing failed; retrying'));
    app.addHook('onClose', async () => {
      clearInterval(keyReload);
      await pruner.stop();
      await store.close();
    });

    const { ring: _ring, keys, ...publicSetup } = keySetup;
    return { app, store, keys, keySetup: publicSetup };
  } catch (error) {
    // A half-built app must not keep the database open.
    clearInterval(keyReload);
    await store.close();
    throw error;
  }
}
