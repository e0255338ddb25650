import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/platform.ts';
import type { CaseService } from '../service.ts';
import { apiRoutes } from './api-routes.ts';
import { citizenRoutes } from './citizen-routes.ts';
import { draftRoutes } from './draft-routes.ts';
import { lifeEventRoutes } from './life-event-routes.ts';
import { ratingRoutes } from './rating-routes.ts';
import { staffRoutes } from './staff-routes.ts';

/** Pages for applicants and staff, and the JSON API beside them (same commands). */
export function caseRoutes(platform: Platform, service: CaseService) {
  const citizen = citizenRoutes(platform, service);
  const staff = staffRoutes(platform, service);
  const api = apiRoutes(platform, service);
  const drafts = draftRoutes(platform, service); // 申请草稿 (issue 3)
  const lifeEvents = lifeEventRoutes(platform, service);
  return async function routes(app: FastifyInstance): Promise<void> {
    await citizen(app);
    await staff(app);
    await api(app);
    await drafts(app);
    await lifeEvents(app);
    await ratingRoutes(service)(app); // 好差评申诉 (issue 3)
  };
}
