import { ZHENGWU_BPMN_NS } from './parse-bpmn.ts';

/** Wraps process content in a BPMN document (tests and benchmarks). */
export function bpmnDocument(processBody: string, opts: { processId?: string; name?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zhengwu="${ZHENGWU_BPMN_NS}" id="Defs" targetNamespace="http://example.org">
  <bpmn:process id="${opts.processId ?? 'P'}" name="${opts.name ?? '测试流程'}" isExecutable="true">
${processBody}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A flow line. */
export const flow = (id: string, from: string, to: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression></bpmn:sequenceFlow>`;

/** start → tasks in a line → end. */
export function linearBpmn(steps: { id: string; name: string; roles?: string; extra?: string }[]): string {
  const ids = ['S', ...steps.map((s) => s.id), 'E'];
  return bpmnDocument(
    [
      '<bpmn:startEvent id="S"/>',
      ...steps.map((s) => `<bpmn:userTask id="${s.id}" name="${s.name}" zhengwu:candidateRoles="${s.roles ?? 'clerk'}"${s.extra ?? ''}/>`),
      '<bpmn:endEvent id="E"/>',
      ...ids.slice(1).map((to, i) => flow(`F${i + 1}`, ids[i] as string, to)),
    ].join('\n'),
  );
}
