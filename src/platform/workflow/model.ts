/**
 * The compiled form of a BPMN definition: plain JSON (stored beside the XML, cached in memory
 * by definition version), small enough that advancing a step never re-reads the XML.
 */

/** Roles a user task may be given to. The three administrators (三员) never handle business. */
export const TASK_ROLES = ['clerk', 'org_head', 'jurisdiction_supervisor', 'province_supervisor'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/** A step limit: n working days ('G', 工作日) or natural days ('Z', 自然日). */
export interface StepLimit {
  n: number;
  unit: 'G' | 'Z';
}

/** An ISO 8601 duration, optionally counted in working days (the D and W parts only). */
export interface TimerSpec {
  duration: string;
  workingDays: boolean;
}

export interface MultiInstanceSpec {
  sequential: boolean;
  /** Variable holding the signers: account ids or `{ assignee?, organisationId?, roles? }` objects. */
  collection: string | null;
  /** A fixed number of instances when there is no collection. */
  cardinality: number | null;
  /** Ends the 会签 early when true (nrOfInstances, nrOfCompletedInstances, nrOfApproved, nrOfRejected). Default: all completed. */
  completion: string | null;
}

interface NodeBase {
  id: string;
  name: string;
  incoming: string[];
  outgoing: string[];
}

export interface StartNode extends NodeBase {
  type: 'start';
}
export interface EndNode extends NodeBase {
  type: 'end';
}
export interface UserTaskNode extends NodeBase {
  type: 'userTask';
  roles: TaskRole[];
  /** Literal organisation id, `${variable}`, or null for the instance's organisation. */
  organisation: string | null;
  limit: StepLimit | null;
  multiInstance: MultiInstanceSpec | null;
  /** Boundary timer events attached to this task. */
  boundaries: string[];
}
export interface ServiceTaskNode extends NodeBase {
  type: 'serviceTask';
  action: 'noop' | 'notify';
  /** For notify: the variable holding the recipient's account id, and the message. */
  recipientVariable: string | null;
  message: string | null;
}
export interface ExclusiveGatewayNode extends NodeBase {
  type: 'exclusiveGateway';
  defaultFlow: string | null;
}
export interface ParallelGatewayNode extends NodeBase {
  type: 'parallelGateway';
}
export interface TimerCatchNode extends NodeBase {
  type: 'timerCatch';
  timer: TimerSpec;
}
export interface BoundaryTimerNode extends NodeBase {
  type: 'boundaryTimer';
  attachedTo: string;
  cancelActivity: boolean;
  timer: TimerSpec;
}

export type WorkflowNode =
  | StartNode
  | EndNode
  | UserTaskNode
  | ServiceTaskNode
  | ExclusiveGatewayNode
  | ParallelGatewayNode
  | TimerCatchNode
  | BoundaryTimerNode;

export interface WorkflowFlow {
  id: string;
  name: string;
  source: string;
  target: string;
  condition: string | null;
}

export interface WorkflowModel {
  processId: string;
  name: string;
  startId: string;
  nodes: Record<string, WorkflowNode>;
  flows: Record<string, WorkflowFlow>;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Parses an ISO 8601 duration (PnYnMnWnDTnHnMnS); null when malformed. */
export function parseDuration(text: string): DurationParts | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}
