// Public surface of the workflow engine (公用协同工作环境). See docs/workflow.md.
export { WorkflowEngine, WORKFLOW_TIMER_QUEUE, canHandle, inboxActor, stepDue, timerDue } from './engine.ts';
export type { CompleteInput, StartInput, StepResult, WorkflowEngineOptions, WorkflowRefusal, WorkflowResult } from './engine.ts';
export { parseBpmn, ZHENGWU_BPMN_NS, type ParseOutcome } from './parse-bpmn.ts';
export { defaultProcess, linearProcessXml, DEFAULT_PROCESS_KEY, DEFAULT_STEPS, type ProcessStep } from './default-process.ts';
export { parseExpression, evaluate, testExpression, ExpressionError } from './expression.ts';
export { workflowMigrations } from './migrations.ts';
export type { Signer } from './core.ts';
export type { WorkflowModel, WorkflowNode, TaskRole } from './model.ts';
export { TASK_ROLES } from './model.ts';
export type { DefinitionRow, DefinitionSummary, DefinitionStatus, InstanceRow, TaskRow, TaskState, TaskKind, Page } from './workflow.repository.ts';
