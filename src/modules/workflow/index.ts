/** Public surface of the workflow module (流程定义 + the engine instance other modules use). */
export { createWorkflowModule, type WorkflowModule } from './manifest.ts';
