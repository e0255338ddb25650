import { describe, expect, it } from 'vitest';
import { bpmnDocument, flow, linearBpmn } from './bpmn-fixtures.ts';
import { defaultProcess } from './default-process.ts';
import { parseBpmn } from './parse-bpmn.ts';

async function errorsOf(xml: string): Promise<string[]> {
  const r = await parseBpmn(xml);
  if (r.ok) throw new Error('expected the definition to be refused');
  return r.errors;
}

const around = (inner: string, innerIds: [string, string]) =>
  bpmnDocument(`<bpmn:startEvent id="S"/>${inner}<bpmn:endEvent id="E"/>${flow('F1', 'S', innerIds[0])}${flow('F2', innerIds[1], 'E')}`);

describe('BPMN subset parser', () => {
  it('accepts the default process and compiles its four steps', async () => {
    const r = await parseBpmn(defaultProcess().xml);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tasks = Object.values(r.model.nodes).filter((n) => n.type === 'userTask');
    expect(tasks.map((t) => [t.name, t.type === 'userTask' ? t.roles : []])).toEqual([
      ['受理', ['clerk']],
      ['审查', ['clerk']],
      ['决定', ['org_head']],
      ['办结', ['clerk']],
    ]);
  });

  it('accepts every supported element with its attributes', async () => {
    const xml = bpmnDocument(`
      <bpmn:startEvent id="S"/>
      <bpmn:userTask id="Accept" name="受理" zhengwu:candidateRoles="clerk" zhengwu:limit="3"/>
      <bpmn:boundaryEvent id="B1" attachedToRef="Accept" cancelActivity="false"><bpmn:timerEventDefinition zhengwu:workingDays="true"><bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:serviceTask id="Remind" zhengwu:type="notify" zhengwu:recipient="applicant" zhengwu:message="请尽快"/>
      <bpmn:endEvent id="E0"/>
      <bpmn:parallelGateway id="Fork"/>
      <bpmn:userTask id="Dept" name="部门会签" zhengwu:candidateRoles="org_head"><bpmn:multiInstanceLoopCharacteristics zhengwu:collection="departments"><bpmn:completionCondition>nrOfApproved / nrOfInstances &gt;= 0.6</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:parallelGateway id="Join"/>
      <bpmn:exclusiveGateway id="X" default="F8"/>
      <bpmn:userTask id="Decide" name="决定" zhengwu:candidateRoles="org_head" zhengwu:limit="5Z" zhengwu:organisation="\${decidingOrg}"/>
      <bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Accept')}${flow('F2', 'Accept', 'Fork')}${flow('F3', 'Fork', 'Dept')}${flow('F4', 'Fork', 'Wait')}
      ${flow('F5', 'Dept', 'Join')}${flow('F6', 'Wait', 'Join')}${flow('F7', 'Join', 'X')}${flow('F8', 'X', 'Decide')}
      ${flow('F9', 'X', 'E', "outcome == 'reject'")}${flow('F10', 'Decide', 'E')}${flow('F11', 'B1', 'Remind')}${flow('F12', 'Remind', 'E0')}`);
    const r = await parseBpmn(xml);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const n = r.model.nodes;
    expect(n.Accept).toMatchObject({ type: 'userTask', limit: { n: 3, unit: 'G' }, boundaries: ['B1'] });
    expect(n.B1).toMatchObject({ type: 'boundaryTimer', attachedTo: 'Accept', cancelActivity: false, timer: { duration: 'P2D', workingDays: true } });
    expect(n.Dept).toMatchObject({ multiInstance: { sequential: false, collection: 'departments', completion: 'nrOfApproved / nrOfInstances >= 0.6' } });
    expect(n.Decide).toMatchObject({ limit: { n: 5, unit: 'Z' }, organisation: '${decidingOrg}' });
    expect(n.Remind).toMatchObject({ type: 'serviceTask', action: 'notify', recipientVariable: 'applicant' });
    expect(n.X).toMatchObject({ type: 'exclusiveGateway', defaultFlow: 'F8' });
    expect(r.model.flows.F9?.condition).toBe("outcome == 'reject'");
  });

  it.each([
    ['scriptTask', '<bpmn:scriptTask id="Task_3" name="脚本"/>', '错误：元素 Task_3（脚本任务）不受支持'],
    ['task', '<bpmn:task id="Task_3"/>', '错误：元素 Task_3（无类型任务）不受支持'],
    ['manualTask', '<bpmn:manualTask id="Task_3"/>', '错误：元素 Task_3（手工任务）不受支持'],
    ['sendTask', '<bpmn:sendTask id="Task_3"/>', '错误：元素 Task_3（发送任务）不受支持'],
    ['receiveTask', '<bpmn:receiveTask id="Task_3"/>', '错误：元素 Task_3（接收任务）不受支持'],
    ['businessRuleTask', '<bpmn:businessRuleTask id="Task_3"/>', '错误：元素 Task_3（业务规则任务）不受支持'],
    ['subProcess', '<bpmn:subProcess id="Task_3"/>', '错误：元素 Task_3（子流程）不受支持'],
    ['callActivity', '<bpmn:callActivity id="Task_3"/>', '错误：元素 Task_3（调用活动）不受支持'],
    ['inclusiveGateway', '<bpmn:inclusiveGateway id="Task_3"/>', '错误：元素 Task_3（包容网关）不受支持'],
    ['eventBasedGateway', '<bpmn:eventBasedGateway id="Task_3"/>', '错误：元素 Task_3（事件网关）不受支持'],
    ['complexGateway', '<bpmn:complexGateway id="Task_3"/>', '错误：元素 Task_3（复杂网关）不受支持'],
    ['intermediateThrowEvent', '<bpmn:intermediateThrowEvent id="Task_3"/>', '错误：元素 Task_3（中间抛出事件）不受支持'],
    ['message catch event', '<bpmn:intermediateCatchEvent id="Task_3"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>', '错误：元素 Task_3（定时中间事件）只支持定时器事件定义'],
  ])('refuses a %s naming the element', async (_label, element, message) => {
    const errors = await errorsOf(around(element, ['Task_3', 'Task_3']));
    expect(errors.join('\n')).toContain(message);
  });

  it('refuses event definitions on start and end events, and non-timer boundaries', async () => {
    const xml = bpmnDocument(`
      <bpmn:startEvent id="S"><bpmn:messageEventDefinition/></bpmn:startEvent>
      <bpmn:userTask id="T"/>
      <bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="E"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      ${flow('F1', 'S', 'T')}${flow('F2', 'T', 'E')}`);
    const errors = (await errorsOf(xml)).join('\n');
    expect(errors).toContain('错误：元素 S（开始事件）不能带事件定义');
    expect(errors).toContain('错误：元素 E（结束事件）不能带事件定义');
    expect(errors).toContain('错误：元素 B（边界事件）只支持定时器事件定义');
  });

  it.each([
    ['not XML at all', 'hello', '不是有效的 XML'],
    ['an unclosed tag', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P">', '不是有效的 XML'],
    ['an empty body', '   ', '请提供 BPMN 2.0 XML 内容'],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><x/>', '不能包含 DOCTYPE'],
    ['an unknown BPMN element', around('<bpmn:userTask id="T"/><bpmn:fancyThing id="Odd"/>', ['T', 'T']), '无法识别的内容'],
    ['a document without process', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"/>', '文件中没有流程'],
  ])('refuses %s', async (_label, xml, message) => {
    expect((await errorsOf(xml)).join('\n')).toContain(message);
  });

  it('refuses two processes', async () => {
    const two = defaultProcess().xml.replace('</bpmn:definitions>', '<bpmn:process id="P2"/></bpmn:definitions>');
    expect((await errorsOf(two)).join('\n')).toContain('文件中有多个流程');
  });

  it('checks the structure: start, end, branches, reachability', async () => {
    expect((await errorsOf(bpmnDocument('<bpmn:userTask id="T"/><bpmn:endEvent id="E"/>' + flow('F', 'T', 'E')))).join()).toContain('流程缺少开始事件');
    expect((await errorsOf(bpmnDocument('<bpmn:startEvent id="S"/><bpmn:userTask id="T"/>' + flow('F', 'S', 'T')))).join()).toContain('流程缺少结束事件');
    const branchy = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="X"/><bpmn:userTask id="A"/><bpmn:userTask id="B"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'X')}${flow('F2', 'X', 'A', "outcome == 'a'")}${flow('F3', 'X', 'B')}${flow('F4', 'A', 'E')}${flow('F5', 'B', 'E')}`);
    expect((await errorsOf(branchy)).join()).toContain('错误：元素 F3（顺序流）是排他网关 X 的分支，需要条件');
    const badCondition = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="X" default="F3"/><bpmn:userTask id="A"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'X')}${flow('F2', 'X', 'A', 'outcome = 1')}${flow('F3', 'X', 'E')}${flow('F4', 'A', 'E')}`);
    expect((await errorsOf(badCondition)).join()).toContain('错误：元素 F2（顺序流）的条件“outcome = 1”有误');
    const conditionOnTask = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="A"/><bpmn:endEvent id="E"/>${flow('F1', 'S', 'A')}${flow('F2', 'A', 'E', 'x == 1')}`);
    expect((await errorsOf(conditionOnTask)).join()).toContain('只有排他网关的出口可以带条件');
    const splitOnTask = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="A"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>${flow('F1', 'S', 'A')}${flow('F2', 'A', 'E')}${flow('F3', 'A', 'E2')}`);
    expect((await errorsOf(splitOnTask)).join()).toContain('错误：元素 A（A）有多条出口顺序流');
    const island = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="A"/><bpmn:userTask id="Lost"/><bpmn:endEvent id="E"/>${flow('F1', 'S', 'A')}${flow('F2', 'A', 'E')}${flow('F3', 'Lost', 'E')}`);
    expect((await errorsOf(island)).join()).toContain('错误：元素 Lost（Lost）没有进入的顺序流');
    const dangling = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="A"/><bpmn:endEvent id="E"/>${flow('F1', 'S', 'A')}`);
    expect((await errorsOf(dangling)).join()).toContain('错误：元素 A（A）没有出口顺序流');
  });

  it('checks user task attributes', async () => {
    const errs = (await errorsOf(linearBpmn([
      { id: 'A', name: '受理', roles: 'clerk,sysadmin' },
      { id: 'B', name: '审查', extra: ' zhengwu:limit="three"' },
    ]))).join('\n');
    expect(errs).toContain('错误：元素 A（用户任务）的办理角色“sysadmin”无效');
    expect(errs).toContain('错误：元素 B（用户任务）的办理时限“three”无效');
  });

  it('checks multi-instance and timer settings', async () => {
    const mi = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="C"><bpmn:multiInstanceLoopCharacteristics><bpmn:completionCondition>a ==</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask><bpmn:endEvent id="E"/>${flow('F1', 'S', 'C')}${flow('F2', 'C', 'E')}`);
    const e1 = (await errorsOf(mi)).join('\n');
    expect(e1).toContain('错误：元素 C（会签任务）需要 zhengwu:collection');
    expect(e1).toContain('错误：元素 C（会签任务）的完成条件“a ==”有误');
    const loop = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="L"><bpmn:standardLoopCharacteristics/></bpmn:userTask><bpmn:endEvent id="E"/>${flow('F1', 'S', 'L')}${flow('F2', 'L', 'E')}`);
    expect((await errorsOf(loop)).join()).toContain('错误：元素 L（用户任务）只支持多实例（会签），不支持标准循环');
    const timer = (def: string) =>
      bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:intermediateCatchEvent id="W"><bpmn:timerEventDefinition${def}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="E"/>${flow('F1', 'S', 'W')}${flow('F2', 'W', 'E')}`);
    expect((await errorsOf(timer('><bpmn:timeDuration>3 days</bpmn:timeDuration>'))).join()).toContain('错误：元素 W（定时中间事件）的时长“3 days”不是有效的 ISO 8601 时长');
    expect((await errorsOf(timer('><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>'))).join()).toContain('只支持时长（timeDuration）');
    expect((await errorsOf(timer(' zhengwu:workingDays="true"><bpmn:timeDuration>PT4H</bpmn:timeDuration>'))).join()).toContain('按工作日计算时只能使用天或周');
    const onGateway = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="A"/><bpmn:exclusiveGateway id="G"/><bpmn:boundaryEvent id="B" attachedToRef="G"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:endEvent id="E"/>${flow('F1', 'S', 'A')}${flow('F2', 'A', 'G')}${flow('F3', 'G', 'E')}${flow('F4', 'B', 'E')}`);
    expect((await errorsOf(onGateway)).join()).toContain('错误：元素 B（定时边界事件）只能附着在用户任务上');
  });
});
