/**
 * Request and response schemas of the GovStack routes (they feed OpenAPI and serialization).
 * They follow the spec's component schemas; where the spec says `additionalProperties: {type: object}`
 * for form data, we allow any JSON value, as the spec's own ExamplePayload.json does.
 */
const str = { type: 'string' } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const statusModel = { type: 'object', properties: { code: { type: 'string', enum: ['PENDING', 'APPROVED', 'SENDBACK', 'REJECTED'] }, title: str } } as const;

export const service = {
  type: 'object',
  required: ['id', 'name', 'type', 'version'],
  properties: {
    id: str,
    name: str,
    version: str,
    type: { type: 'string', enum: ['None', 'Private', 'Public'] },
    isExecutable: { type: 'boolean' },
    isClosed: { type: 'boolean' },
    description: str,
    serviceBody: { type: 'array', items: { type: 'object', properties: { code: str, value: str } } },
  },
} as const;

export const eFormListItem = { type: 'object', properties: { eFormId: str, name: str, description: str, version: str, latest: { type: 'boolean' } } } as const;
export const eForm = { type: 'object', properties: { ...eFormListItem.properties, schema: anyObject } } as const;

const formData = { type: 'object', properties: { data: anyObject, eFormId: { type: 'string', maxLength: 100 } } } as const;
const documentUrls = { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } } as const;

export const applicationFileSubmit = {
  type: 'object',
  required: ['applicantId'],
  properties: {
    applicationName: { type: 'string', maxLength: 200 },
    applicantId: { type: 'string', minLength: 1, maxLength: 100 },
    created: dateTime,
    formData,
    documentUrls,
  },
} as const;

export interface ApplicationFileSubmit {
  applicationName?: string;
  applicantId: string;
  created?: string;
  formData?: { data?: Record<string, unknown>; eFormId?: string };
  documentUrls?: string[];
}

export const applicationFileResponse = {
  type: 'object',
  required: ['applicantId', 'serviceId'],
  properties: {
    fileId: str,
    registered: dateTime,
    serviceId: str,
    serviceName: str,
    status: statusModel,
    ended: { type: 'boolean' },
    applicationData: {
      type: 'object',
      properties: { ...applicationFileSubmit.properties, operatorData: { type: 'object', properties: { data: anyObject, version: { type: 'integer' } } } },
    },
    applicantId: str,
    caseNo: str,
    caseVersion: { type: 'integer' },
  },
} as const;

export const additionalData = { type: 'object', properties: { data: anyObject } } as const;

export const applicationListItem = {
  type: 'object',
  properties: {
    fileId: str,
    mainTaskId: str,
    taskTitle: str,
    roleId: str,
    roleName: str,
    assigneeId: str,
    operatorName: str,
    status: statusModel,
    applicantId: str,
    created: dateTime,
    registered: dateTime,
    description: str,
    serviceName: str,
    serviceId: str,
    eformId: str,
    documentUrls: { type: 'array', items: str },
    additionalMeta: additionalData,
  },
} as const;

export const uploadResponse = { type: 'object', properties: { code: { type: 'integer' }, type: str, message: str, url: str } } as const;

export const userTask = {
  type: 'object',
  properties: { taskId: str, mainTaskId: str, name: str, assigneeId: str, roleId: str, created: dateTime, description: str, serviceId: str, serviceName: str, fileId: str, eFormId: str, status: statusModel },
} as const;

export const dataUserTask = {
  type: 'object',
  properties: { taskId: str, taskName: str, assigneeId: str, roleId: str, created: dateTime, description: str, fileId: str, serviceId: str, serviceName: str, eFormId: str, formVariables: anyObject, status: statusModel, data: anyObject },
} as const;

export const completedTask = {
  type: 'object',
  properties: { taskId: str, fileId: str, serviceId: str, status: statusModel, variables: { type: 'object', additionalProperties: additionalData } },
} as const;

export const statisticsRow = {
  type: 'object',
  properties: {
    processed: { type: 'integer' },
    approved: { type: 'integer' },
    sentBack: { type: 'integer' },
    rejected: { type: 'integer' },
    references: {
      type: 'object',
      properties: {
        startDate: str,
        endDate: str,
        registrationName: str,
        operator: str,
        role: str,
        timeframeDay: { type: 'boolean' },
        timeframeWeek: { type: 'boolean' },
        timeframeMonth: { type: 'boolean' },
        timeframeYear: { type: 'boolean' },
      },
    },
  },
} as const;

/** Information-Mediator-Client (X-Road style INSTANCE/CLASS/MEMBER/SUBSYSTEM), required where the spec requires it. */
const imClient = { type: 'string', pattern: '^[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+$', maxLength: 200 } as const;
export const imHeaders = { type: 'object', required: ['information-mediator-client'], properties: { 'information-mediator-client': imClient } } as const;
export const imHeadersWithIdempotency = { type: 'object', required: ['information-mediator-client'], properties: { 'information-mediator-client': imClient, 'idempotency-key': { type: 'string', maxLength: 100 } } } as const;
export const imHeadersWithIfMatch = { type: 'object', required: ['information-mediator-client'], properties: { 'information-mediator-client': imClient, 'if-match': { type: 'string', maxLength: 20 } } } as const;

const uuid = { type: 'string', maxLength: 64 } as const;
export const serviceParams = { type: 'object', required: ['serviceId'], properties: { serviceId: uuid } } as const;
export const fileParams = { type: 'object', required: ['fileId'], properties: { fileId: uuid } } as const;
export const taskParams = { type: 'object', required: ['taskId'], properties: { taskId: { type: 'string', maxLength: 100 } } } as const;

const pagingProps = {
  firstResult: { type: 'integer', minimum: 0, maximum: 100000 },
  maxResult: { type: 'integer', minimum: 1, maximum: 100 },
  sortBy: { type: 'string', maxLength: 40 },
  sortOrder: { type: 'string', enum: ['asc', 'desc'] },
} as const;

export const servicesQuery = { type: 'object', properties: { name: { type: 'string', maxLength: 100 }, ...pagingProps } } as const;
export const documentsQuery = { type: 'object', properties: { additionalMetadata: { type: 'string', maxLength: 200 } } } as const;
export const applicationsQuery = { type: 'object', properties: { serviceId: uuid, applicantId: { type: 'string', maxLength: 100 }, ...pagingProps } } as const;
export const tasksQuery = { type: 'object', properties: { mainTaskId: { type: 'string', maxLength: 64 }, fileId: { type: 'string', maxLength: 64 }, assigneeId: { type: 'string', maxLength: 100 }, ...pagingProps } } as const;
const date = { type: 'string', format: 'date' } as const;
export const statisticsQuery = {
  type: 'object',
  properties: { startDate: date, endDate: date, registrationName: { type: 'string', maxLength: 100 }, operator: { type: 'string', maxLength: 100 }, role: { type: 'string', maxLength: 100 }, timeframe: { type: 'string', enum: ['day', 'week', 'month', 'year'] } },
} as const;
