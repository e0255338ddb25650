/** Public surface of appeals-public: Open311 GeoReport v2, the public mailbox and its figures. */
export { createAppealsPublicModule, type AppealsPublicDeps } from './manifest.ts';
export type { ApiKeys, ApiClient } from './api-keys.ts';
