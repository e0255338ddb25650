/** Public surface of the registry module (基础代码与编号): number generators, calendars, code tables. */
export { createRegistryModule, type RegistryModule } from './manifest.ts';
export type { NumberService, NumberRequest, IssuedNumber } from './number-service.ts';
export type { NumberGeneratorRow } from './number.repository.ts';
export type { CalendarService, DueDate } from './calendar-service.ts';
export type { CalendarEntryRow, CalendarYearRow } from './calendar.repository.ts';
export type { CodeTableService } from './code-table-service.ts';
export type { CodeTableSummary } from './code-table.repository.ts';
export { NATIONAL } from './jurisdiction-chain.ts';
