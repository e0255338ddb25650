/** Public surface of the consultations module (征求意见与网上调查). */
export { createConsultationsModule } from './manifest.ts';
export type { ConsultationRow, ConsultationKind, ConsultationStatus } from './consultation.repository.ts';
