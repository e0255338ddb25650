import { ZHENGWU_BPMN_NS } from './parse-bpmn.ts';

export const DEFAULT_PROCESS_KEY = 'default';

export interface ProcessStep {
  id: string;
  name: string;
  roles: string[];
  /** Working days for the step, if any. */
  limit?: number;
}

/** The generic permit flow for items without their own definition: 受理 → 审查 → 决定 → 办结. */
export const DEFAULT_STEPS: ProcessStep[] = [
  { id: 'Task_Accept', name: '受理', roles: ['clerk'] },
  { id: 'Task_Review', name: '审查', roles: ['clerk'] },
  { id: 'Task_Decide', name: '决定', roles: ['org_head'] },
  { id: 'Task_Close', name: '办结', roles: ['clerk'] },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * BPMN XML for a linear process of user tasks, with diagram coordinates so bpmn-js shows it
 * laid out left to right (a unit starting from the default flow edits this in the designer).
 */
export function linearProcessXml(opts: { processId: string; name: string; steps: ProcessStep[] }): string {
  const { steps } = opts;
  const ids = ['StartEvent_1', ...steps.map((s) => s.id), 'EndEvent_1'];
  const flows = ids.slice(1).map((to, i) => ({ id: `Flow_${i + 1}`, from: ids[i] as string, to }));
  const x = (i: number) => 160 + i * 160;
  const shapes = ids
    .map((id, i) => {
      const isEvent = i === 0 || i === ids.length - 1;
      return isEvent
        ? `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x(i) + 22}" y="122" width="36" height="36"/></bpmndi:BPMNShape>`
        : `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x(i)}" y="100" width="100" height="80"/></bpmndi:BPMNShape>`;
    })
    .join('\n      ');
  const edges = flows
    .map((f, i) => {
      const fromEvent = i === 0;
      const toEvent = i === flows.length - 1;
      return `<bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}"><di:waypoint x="${x(i) + (fromEvent ? 58 : 100)}" y="140"/><di:waypoint x="${x(i + 1) + (toEvent ? 22 : 0)}" y="140"/></bpmndi:BPMNEdge>`;
    })
    .join('\n      ');
  const tasks = steps
    .map((s) => `<bpmn:userTask id="${esc(s.id)}" name="${esc(s.name)}" zhengwu:candidateRoles="${esc(s.roles.join(','))}"${s.limit ? ` zhengwu:limit="${s.limit}"` : ''}/>`)
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zhengwu="${ZHENGWU_BPMN_NS}" id="Definitions_${esc(opts.processId)}" targetNamespace="${ZHENGWU_BPMN_NS}">
  <bpmn:process id="${esc(opts.processId)}" name="${esc(opts.name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="开始"/>
    ${tasks}
    <bpmn:endEvent id="EndEvent_1" name="结束"/>
    ${flows.map((f) => `<bpmn:sequenceFlow id="${f.id}" sourceRef="${esc(f.from)}" targetRef="${esc(f.to)}"/>`).join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${esc(opts.processId)}">
      ${shapes}
      ${edges}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** 受理 → 审查 → 决定 → 办结 (clerk → clerk → org_head → clerk). */
export function defaultProcess(): { key: string; name: string; xml: string } {
  return { key: DEFAULT_PROCESS_KEY, name: '通用审批流程（受理→审查→决定→办结）', xml: linearProcessXml({ processId: 'Process_default', name: '通用审批流程', steps: DEFAULT_STEPS }) };
}

/**
 * Step limits of the default flow derived from the working days the case has for its decision
 * (the item's promised limit, counted from acceptance on the jurisdiction's calendar): 受理 1 WD,
 * 决定 2 WD when the limit is 10 WD or more (else 1), 审查 the rest — never below 1 WD, so a
 * very short limit gives steps whose sum exceeds it (the case's own deadline still rules).
 * 办结 gets none: after the decision the legal issue clock (10 WD, Art. 44) is the case deadline.
 * Keys are the default flow's task ids; the engine applies them to tasks without their own `limit`.
 */
export function defaultStepLimits(decisionWorkingDays: number): Record<string, number> {
  const total = Number.isFinite(decisionWorkingDays) ? Math.max(0, Math.floor(decisionWorkingDays)) : 20;
  const accept = 1;
  const decide = total >= 10 ? 2 : 1;
  const review = Math.max(1, total - accept - decide);
  return { Task_Accept: accept, Task_Review: review, Task_Decide: decide };
}
