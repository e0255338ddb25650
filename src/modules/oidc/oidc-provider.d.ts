/**
 * Types for the part of `oidc-provider` (v9, panva) this module uses. The package ships
 * no declarations; these follow its source (lib/provider.js, lib/models/*.js,
 * lib/helpers/defaults.js) and cover only what we call.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  };

  /** One instance per model name ('Session', 'AccessToken', 'Client', …). */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClaimsObject {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<ClaimsObject> | ClaimsObject;
  }

  export interface OidcContextState {
    route: string;
    session?: { accountId?: string };
    client?: Client;
    params?: Record<string, unknown>;
  }

  /** The koa context the provider passes to configuration functions. */
  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    oidc: OidcContextState;
    type: string;
    body: unknown;
    status: number;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface PromptDetail {
    name: string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
      [key: string]: unknown;
    };
  }

  export class Interaction {
    uid: string;
    exp: number;
    returnTo: string;
    prompt: PromptDetail;
    params: Record<string, unknown> & { client_id?: string; redirect_uri?: string; scope?: string };
    session?: { accountId: string; uid: string; cookie?: string };
    grantId?: string;
    lastSubmission?: InteractionResults;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(ttl?: number): Promise<string>;
    static find(id: string): Promise<Grant | undefined>;
  }

  export class Client {
    clientId: string;
    clientName?: string;
    clientSecret?: string;
    redirectUris: string[];
    compareClientSecret(actual: string): Promise<boolean> | boolean;
    static find(id: string): Promise<Client | undefined>;
  }

  export class Check {
    constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    static readonly REQUEST_PROMPT: true;
    static readonly NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void; get(reason: string): Check | undefined };
  }

  export type Policy = Prompt[] & { get(name: string): Prompt | undefined };

  export const interactionPolicy: {
    base(): Policy;
    Check: typeof Check;
  };

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    /** koa's `app.proxy`: trust X-Forwarded-* headers. */
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Grant: typeof Grant;
    readonly Client: typeof Client;
  }

  export default Provider;
}
