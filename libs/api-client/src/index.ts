// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a .d.ts has nothing to import
/// <reference path="./fetch-globals.d.ts" />
// The hand-written entry of the API client: the generated functions and types (./generated, never
// edited by hand), plus sign-in with automatic token refresh and typed problems (./problem).
import { createClient, createConfig, type Client } from './generated/client';
import { login, logout, refreshTokens, type TokenPairDto } from './generated';
import { unwrap } from './problem';

export * from './generated';
export { client } from './generated/client.gen';
export { createClient, createConfig, type Client };
export * from './problem';

/** The tokens a client sends; `refreshToken` enables the automatic refresh. */
export interface ApiTokens {
  accessToken: string;
  refreshToken?: string;
}

export interface ApiClientOptions {
  /** Where the API answers, e.g. `https://diary.example.org` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Tokens to start with (say, kept from an earlier session). */
  tokens?: ApiTokens;
  /**
   * On a 401 to an authenticated request, exchange the refresh token once and send the request
   * again with the new access token (default true). Concurrent 401s share one refresh.
   */
  autoRefresh?: boolean;
  /** Called whenever the tokens change (sign-in, refresh, sign-out, refresh refused): store them. */
  onTokens?: (tokens: ApiTokens | undefined) => void;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** A generated-SDK client with a session: pass `api.client` as `client` to any generated call. */
export interface ApiClient {
  /** The configured client: `listSymptomEntries({ client: api.client, query: { ... } })`. */
  readonly client: Client;
  /** The current tokens, if signed in. */
  readonly tokens: ApiTokens | undefined;
  /** Sets (or with `undefined`, forgets) the tokens, e.g. a bearer token obtained elsewhere. */
  setTokens(tokens: ApiTokens | undefined): void;
  /** POST /api/auth/login; keeps the pair. Throws ApiProblemError (401, 429 …). */
  login(credentials: { email: string; password: string }): Promise<TokenPairDto>;
  /** POST /api/auth/refresh with the kept refresh token; keeps the new pair. */
  refresh(): Promise<TokenPairDto>;
  /** POST /api/auth/logout (revokes the sign-in) and forgets the tokens. */
  logout(): Promise<void>;
}

const AUTH_PATHS = new Set(['/api/auth/login', '/api/auth/refresh', '/api/auth/logout']);

/** A client of its own (not the shared default `client`), with sign-in and refresh handling. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  let tokens: ApiTokens | undefined = options.tokens ? { ...options.tokens } : undefined;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const autoRefresh = options.autoRefresh ?? true;
  let refreshing: Promise<boolean> | undefined;

  const setTokens = (next: ApiTokens | undefined): void => {
    tokens = next ? { ...next } : undefined;
    options.onTokens?.(tokens ? { ...tokens } : undefined);
  };
  const keep = (pair: TokenPairDto): TokenPairDto => {
    setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return pair;
  };

  // Sends the request; on a 401 of a request that carried a bearer token, refreshes once (shared
  // by concurrent requests) and sends a copy of it again with the new token.
  const fetchWithRefresh: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const sent = request.headers.get('authorization');
    const retryable =
      autoRefresh && sent !== null && !AUTH_PATHS.has(new URL(request.url).pathname);
    const copy = retryable ? request.clone() : undefined;
    const response = await baseFetch(request);
    if (response.status !== 401 || !copy) return response;
    const current = tokens?.accessToken;
    const renewed =
      current !== undefined && sent !== `Bearer ${current}`
        ? true // another request refreshed meanwhile
        : await (refreshing ??= tryRefresh().finally(() => (refreshing = undefined)));
    if (!renewed || !tokens) return response;
    await response.body?.cancel();
    copy.headers.set('authorization', `Bearer ${tokens.accessToken}`);
    return baseFetch(copy);
  };

  const client = createClient(
    createConfig({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      fetch: fetchWithRefresh,
      headers: options.headers,
      auth: () => tokens?.accessToken,
    }),
  );

  const refresh = async (): Promise<TokenPairDto> => {
    const refreshToken = tokens?.refreshToken;
    if (!refreshToken) throw new Error('no refresh token: sign in first');
    try {
      return keep(unwrap(await refreshTokens({ client, body: { refreshToken } })));
    } catch (error) {
      // A used or revoked refresh token will never work again: forget the session.
      if ((error as { status?: number }).status === 401) setTokens(undefined);
      throw error;
    }
  };
  const tryRefresh = (): Promise<boolean> =>
    tokens?.refreshToken
      ? refresh().then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);

  return {
    client,
    get tokens() {
      return tokens ? { ...tokens } : undefined;
    },
    setTokens,
    login: async ({ email, password }) =>
      // Only these two: the API refuses unknown fields (a whole user record would be a 400).
      keep(unwrap(await login({ client, body: { email, password } }))),
    refresh,
    logout: async () => {
      const refreshToken = tokens?.refreshToken;
      try {
        if (refreshToken) unwrap(await logout({ client, body: { refreshToken } }));
      } finally {
        setTokens(undefined);
      }
    },
  };
}
