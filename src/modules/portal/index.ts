export { createPortalModule, type PortalDeps } from './manifest.ts';
