/** Public surface of the govstack module (GovStack Registration BB API, docs/govstack.md). */
export { createGovstackModule } from './manifest.ts';
