import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { ExpressionError, parseExpression } from './expression.ts';
import {
  parseDuration,
  TASK_ROLES,
  type BoundaryTimerNode,
  type MultiInstanceSpec,
  type StepLimit,
  type TaskRole,
  type TimerSpec,
  type UserTaskNode,
  type WorkflowFlow,
  type WorkflowModel,
  type WorkflowNode,
} from './model.ts';

/**
 * Reads BPMN 2.0 XML (bpmn-moddle) and compiles the subset Zhengwu executes (docs/workflow.md):
 * startEvent, endEvent, userTask (with multi-instance 会签), serviceTask, exclusiveGateway,
 * parallelGateway, intermediate and boundary timer events, sequenceFlow. Everything else is
 * refused with a Chinese reason naming the element id, so an official uploading a diagram made
 * elsewhere learns exactly what to change.
 *
 * Our attributes live in the namespace below (prefix `zhengwu:` by convention; any prefix bound
 * to this URI works):
 *   userTask:   candidateRoles="clerk,org_head"  limit="3" (working days; "5Z" natural days)  organisation="org-id" | "${var}"
 *   multiInstanceLoopCharacteristics: collection="signers"
 *   serviceTask: type="noop" | "notify"  recipient="variableName"  message="text"
 *   timerEventDefinition: workingDays="true"
 */
export const ZHENGWU_BPMN_NS = 'http://zhengwu.gov.cn/schema/bpmn';

const zhengwuPackage = {
  name: 'Zhengwu',
  prefix: 'zhengwu',
  uri: ZHENGWU_BPMN_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'UserTaskProps',
      extends: ['bpmn:UserTask'],
      properties: [
        { name: 'candidateRoles', isAttr: true, type: 'String' },
        { name: 'limit', isAttr: true, type: 'String' },
        { name: 'organisation', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'ServiceTaskProps',
      extends: ['bpmn:ServiceTask'],
      properties: [
        { name: 'type', isAttr: true, type: 'String' },
        { name: 'recipient', isAttr: true, type: 'String' },
        { name: 'message', isAttr: true, type: 'String' },
      ],
    },
    { name: 'MultiInstanceProps', extends: ['bpmn:MultiInstanceLoopCharacteristics'], properties: [{ name: 'collection', isAttr: true, type: 'String' }] },
    { name: 'TimerProps', extends: ['bpmn:TimerEventDefinition'], properties: [{ name: 'workingDays', isAttr: true, type: 'Boolean' }] },
  ],
};

export type ParseOutcome = { ok: true; model: WorkflowModel } | { ok: false; errors: string[] };

const TYPE_LABEL: Record<string, string> = {
  'bpmn:ScriptTask': '脚本任务',
  'bpmn:Task': '无类型任务',
  'bpmn:ManualTask': '手工任务',
  'bpmn:SendTask': '发送任务',
  'bpmn:ReceiveTask': '接收任务',
  'bpmn:BusinessRuleTask': '业务规则任务',
  'bpmn:SubProcess': '子流程',
  'bpmn:CallActivity': '调用活动',
  'bpmn:InclusiveGateway': '包容网关',
  'bpmn:EventBasedGateway': '事件网关',
  'bpmn:ComplexGateway': '复杂网关',
  'bpmn:IntermediateThrowEvent': '中间抛出事件',
  'bpmn:DataObject': '数据对象',
  'bpmn:DataObjectReference': '数据对象引用',
  'bpmn:DataStoreReference': '数据存储引用',
  'bpmn:Transaction': '事务子流程',
  'bpmn:AdHocSubProcess': '自由子流程',
};

const SUPPORTED = '支持的元素：开始事件、结束事件、用户任务（含会签）、服务任务、排他网关、并行网关、定时中间事件、定时边界事件、顺序流';

const MAX_XML = 2_000_000;
const MAX_NODES = 500;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const ref = (v: unknown): string | null => (v && typeof v === 'object' && typeof (v as ModdleElement).id === 'string' ? ((v as ModdleElement).id as string) : null);
const list = (v: unknown): ModdleElement[] => (Array.isArray(v) ? (v as ModdleElement[]) : []);
const body = (v: unknown): string | null => (v && typeof v === 'object' ? str((v as { body?: unknown }).body) : null);

/** Parses and validates BPMN XML; the errors are Chinese sentences naming the element id. */
export async function parseBpmn(xml: string): Promise<ParseOutcome> {
  if (typeof xml !== 'string' || xml.trim() === '') return { ok: false, errors: ['错误：请提供 BPMN 2.0 XML 内容'] };
  if (xml.length > MAX_XML) return { ok: false, errors: [`错误：BPMN 文件过大（不超过 ${MAX_XML / 1_000_000} MB）`] };
  // Entity expansion is refused outright (billion laughs); BPMN files never need a DTD.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, errors: ['错误：BPMN 文件不能包含 DOCTYPE 或实体声明'] };
  const moddle = new BpmnModdle({ zhengwu: zhengwuPackage });
  let root: ModdleElement;
  try {
    const parsed = await moddle.fromXML(xml);
    root = parsed.rootElement;
    if (parsed.warnings.length > 0) {
      return {
        ok: false,
        errors: parsed.warnings.slice(0, 20).map((w) => {
          const id = w.element?.id;
          const first = (w.message.split('\n')[0] ?? '').trim();
          return id ? `错误：元素 ${id} 含有无法识别的内容（${first}）` : `错误：BPMN 文件含有无法识别的内容（${first}）`;
        }),
      };
    }
  } catch (e) {
    const first = ((e as Error).message.split('\n')[0] ?? '').trim();
    return { ok: false, errors: [`错误：BPMN 文件不是有效的 XML（${first}）`] };
  }
  if (root.$type !== 'bpmn:Definitions') return { ok: false, errors: ['错误：根元素必须是 bpmn:definitions'] };
  return compile(root);
}

function compile(defs: ModdleElement): ParseOutcome {
  const errors: string[] = [];
  const err = (id: string | undefined, msg: string) => errors.push(`错误：元素 ${id ?? '（无 id）'}${/^[（：]/.test(msg) ? '' : ' '}${msg}`);
  const processes: ModdleElement[] = [];
  for (const r of list(defs.rootElements)) {
    if (r.$type === 'bpmn:Process') processes.push(r);
    else if (r.$type === 'bpmn:Collaboration') {
      if (list(r.participants).length > 1) err(r.id, '（协作图）含有多个参与者，只支持一个流程');
      if (list(r.messageFlows).length > 0) err(r.id, '（协作图）含有消息流，不受支持');
    } else err(r.id, `（${r.$type}）不受支持，文件中只能有一个流程`);
  }
  if (processes.length !== 1) {
    errors.push(processes.length === 0 ? '错误：文件中没有流程（bpmn:process）' : '错误：文件中有多个流程，一个定义只能包含一个流程');
    return { ok: false, errors };
  }
  const proc = processes[0] as ModdleElement;
  const elements = list(proc.flowElements);
  if (elements.length > MAX_NODES) return { ok: false, errors: [`错误：流程元素过多（不超过 ${MAX_NODES} 个）`] };

  const nodes: Record<string, WorkflowNode> = {};
  const flows: Record<string, WorkflowFlow> = {};
  const seen = new Set<string>();
  for (const el of elements) {
    if (!el.id) {
      err(undefined, `（${el.$type}）缺少 id`);
      continue;
    }
    if (seen.has(el.id)) err(el.id, 'id 重复');
    seen.add(el.id);
  }

  for (const el of elements) {
    const id = el.id;
    if (!id) continue;
    const name = str(el.name) ?? id;
    const base = { id, name, incoming: [] as string[], outgoing: [] as string[] };
    const eventDefs = list(el.eventDefinitions);
    if (el.loopCharacteristics && el.$type !== 'bpmn:UserTask') err(id, '：只有用户任务可以设置多实例（会签）');
    switch (el.$type) {
      case 'bpmn:SequenceFlow': {
        const source = ref(el.sourceRef);
        const target = ref(el.targetRef);
        if (!source || !target) err(id, '（顺序流）缺少起点或终点');
        const condition = body(el.conditionExpression);
        if (condition !== null) {
          try {
            parseExpression(condition);
          } catch (e) {
            if (e instanceof ExpressionError) err(id, `（顺序流）的条件“${condition}”有误：${e.message}`);
            else throw e;
          }
        }
        flows[id] = { id, name: str(el.name) ?? '', source: source ?? '', target: target ?? '', condition };
        break;
      }
      case 'bpmn:StartEvent':
        if (eventDefs.length > 0) err(id, '（开始事件）不能带事件定义，只支持普通开始事件');
        nodes[id] = { ...base, type: 'start' };
        break;
      case 'bpmn:EndEvent':
        if (eventDefs.length > 0) err(id, '（结束事件）不能带事件定义，只支持普通结束事件');
        nodes[id] = { ...base, type: 'end' };
        break;
      case 'bpmn:UserTask':
        nodes[id] = userTask(el, base, err);
        break;
      case 'bpmn:ServiceTask': {
        const type = str(el.type) ?? 'noop';
        if (type !== 'noop' && type !== 'notify') err(id, `（服务任务）的 zhengwu:type 只能是 noop 或 notify，而不是“${type}”`);
        const recipient = str(el.recipient);
        const message = str(el.message);
        if (type === 'notify' && (!recipient || !message)) err(id, '（通知服务任务）需要 zhengwu:recipient（保存收件账号的变量名）和 zhengwu:message');
        nodes[id] = { ...base, type: 'serviceTask', action: type === 'notify' ? 'notify' : 'noop', recipientVariable: recipient, message };
        break;
      }
      case 'bpmn:ExclusiveGateway':
        nodes[id] = { ...base, type: 'exclusiveGateway', defaultFlow: ref(el.default) };
        break;
      case 'bpmn:ParallelGateway':
        nodes[id] = { ...base, type: 'parallelGateway' };
        break;
      case 'bpmn:IntermediateCatchEvent': {
        const timer = timerOf(el, eventDefs, '定时中间事件', err);
        if (timer) nodes[id] = { ...base, type: 'timerCatch', timer };
        break;
      }
      case 'bpmn:BoundaryEvent': {
        const timer = timerOf(el, eventDefs, '边界事件', err);
        const attachedTo = ref(el.attachedToRef);
        if (!attachedTo) err(id, '（边界事件）没有附着的任务');
        if (timer && attachedTo) {
          const node: BoundaryTimerNode = { ...base, type: 'boundaryTimer', attachedTo, cancelActivity: el.cancelActivity !== false, timer };
          nodes[id] = node;
        }
        break;
      }
      default:
        err(id, `（${TYPE_LABEL[el.$type] ?? el.$type}）不受支持。${SUPPORTED}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // Wire flows to nodes.
  for (const f of Object.values(flows)) {
    const s = nodes[f.source];
    const t = nodes[f.target];
    if (!s) err(f.id, `（顺序流）的起点 ${f.source} 不是流程中受支持的节点`);
    if (!t) err(f.id, `（顺序流）的终点 ${f.target} 不是流程中受支持的节点`);
    if (!s || !t) continue;
    s.outgoing.push(f.id);
    t.incoming.push(f.id);
    if (f.condition !== null && s.type !== 'exclusiveGateway') err(f.id, '（顺序流）带有条件，但只有排他网关的出口可以带条件');
  }

  const starts = Object.values(nodes).filter((n) => n.type === 'start');
  if (starts.length !== 1) errors.push(starts.length === 0 ? '错误：流程缺少开始事件' : `错误：流程只能有一个开始事件（现有 ${starts.map((s) => s.id).join('、')}）`);
  if (!Object.values(nodes).some((n) => n.type === 'end')) errors.push('错误：流程缺少结束事件');

  for (const n of Object.values(nodes)) {
    switch (n.type) {
      case 'start':
        if (n.incoming.length > 0) err(n.id, '（开始事件）不能有进入的顺序流');
        if (n.outgoing.length !== 1) err(n.id, '（开始事件）必须恰好有一条出口顺序流');
        break;
      case 'end':
        if (n.outgoing.length > 0) err(n.id, '（结束事件）不能有出口顺序流');
        if (n.incoming.length === 0) err(n.id, '（结束事件）没有进入的顺序流');
        break;
      case 'exclusiveGateway': {
        if (n.outgoing.length === 0) err(n.id, '（排他网关）没有出口顺序流');
        if (n.defaultFlow && !n.outgoing.includes(n.defaultFlow)) err(n.id, `（排他网关）的默认流 ${n.defaultFlow} 不是它的出口`);
        if (n.outgoing.length > 1) {
          for (const fid of n.outgoing) {
            const f = flows[fid] as WorkflowFlow;
            if (fid !== n.defaultFlow && f.condition === null) err(fid, `（顺序流）是排他网关 ${n.id} 的分支，需要条件（如 outcome == 'approve'）或设为默认流`);
          }
        }
        if (n.incoming.length === 0) err(n.id, '（排他网关）没有进入的顺序流');
        break;
      }
      case 'parallelGateway':
        if (n.outgoing.length === 0) err(n.id, '（并行网关）没有出口顺序流');
        if (n.incoming.length === 0) err(n.id, '（并行网关）没有进入的顺序流');
        break;
      case 'boundaryTimer': {
        const host = nodes[n.attachedTo];
        if (!host || host.type !== 'userTask') err(n.id, '（定时边界事件）只能附着在用户任务上');
        else host.boundaries.push(n.id);
        if (n.incoming.length > 0) err(n.id, '（边界事件）不能有进入的顺序流');
        if (n.outgoing.length !== 1) err(n.id, '（边界事件）必须恰好有一条出口顺序流');
        break;
      }
      default:
        if (n.incoming.length === 0) err(n.id, `（${n.name}）没有进入的顺序流，永远不会被执行`);
        if (n.outgoing.length === 0) err(n.id, `（${n.name}）没有出口顺序流，请连接到下一步或结束事件`);
        if (n.outgoing.length > 1) err(n.id, `（${n.name}）有多条出口顺序流；分支请使用排他网关或并行网关`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // Every node must be reachable from the start (boundary events from their task).
  const start = starts[0] as WorkflowNode;
  const reached = new Set<string>([start.id]);
  const queue = [start.id];
  while (queue.length > 0) {
    const n = nodes[queue.shift() as string] as WorkflowNode;
    const next = n.outgoing.map((f) => (flows[f] as WorkflowFlow).target);
    if (n.type === 'userTask') next.push(...n.boundaries);
    for (const t of next) {
      if (!reached.has(t)) {
        reached.add(t);
        queue.push(t);
      }
    }
  }
  for (const n of Object.values(nodes)) if (!reached.has(n.id)) err(n.id, `（${n.name}）从开始事件无法到达`);
  if (errors.length > 0) return { ok: false, errors };

  return { ok: true, model: { processId: proc.id ?? 'process', name: str(proc.name) ?? proc.id ?? '', startId: start.id, nodes, flows } };
}

function userTask(el: ModdleElement, base: { id: string; name: string; incoming: string[]; outgoing: string[] }, err: (id: string, msg: string) => void): UserTaskNode {
  const id = base.id;
  const rolesText = str(el.candidateRoles) ?? 'clerk';
  const roles: TaskRole[] = [];
  for (const r of rolesText.split(/[,，\s]+/).filter(Boolean)) {
    if ((TASK_ROLES as readonly string[]).includes(r)) roles.push(r as TaskRole);
    else err(id, `（用户任务）的办理角色“${r}”无效，可用：${TASK_ROLES.join('、')}（系统管理员、安全管理员、审计员不办理业务）`);
  }
  let limit: StepLimit | null = null;
  const limitText = str(el.limit);
  if (limitText !== null) {
    const m = /^(\d{1,3})([GZ])?$/i.exec(limitText);
    if (!m || Number(m[1]) < 1) err(id, `（用户任务）的办理时限“${limitText}”无效，应为正整数天数，如 3（工作日）或 5Z（自然日）`);
    else limit = { n: Number(m[1]), unit: (m[2]?.toUpperCase() ?? 'G') as 'G' | 'Z' };
  }
  let multiInstance: MultiInstanceSpec | null = null;
  const loop = el.loopCharacteristics as ModdleElement | undefined;
  if (loop) {
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') err(id, '（用户任务）只支持多实例（会签），不支持标准循环');
    else {
      const collection = str(loop.collection);
      const cardText = body(loop.loopCardinality);
      let cardinality: number | null = null;
      if (cardText !== null) {
        if (!/^\d{1,3}$/.test(cardText) || Number(cardText) < 1) err(id, `（会签任务）的实例数“${cardText}”应为正整数`);
        else cardinality = Number(cardText);
      }
      if (!collection && cardinality === null) err(id, '（会签任务）需要 zhengwu:collection（保存会签人的变量名）或 loopCardinality（实例数）');
      const completion = body(loop.completionCondition);
      if (completion !== null) {
        try {
          parseExpression(completion);
        } catch (e) {
          if (e instanceof ExpressionError) err(id, `（会签任务）的完成条件“${completion}”有误：${e.message}`);
          else throw e;
        }
      }
      multiInstance = { sequential: loop.isSequential === true, collection, cardinality, completion };
    }
  }
  const organisation = str(el.organisation);
  if (organisation !== null && organisation.length > 100) err(id, '（用户任务）的 zhengwu:organisation 过长');
  return { ...base, type: 'userTask', roles, organisation, limit, multiInstance, boundaries: [] };
}

function timerOf(el: ModdleElement, defs: ModdleElement[], label: string, err: (id: string, msg: string) => void): TimerSpec | null {
  const id = el.id as string;
  if (defs.length !== 1 || defs[0]?.$type !== 'bpmn:TimerEventDefinition') {
    err(id, `（${label}）只支持定时器事件定义`);
    return null;
  }
  const def = defs[0];
  if (def.timeDate || def.timeCycle) {
    err(id, `（${label}）只支持时长（timeDuration），不支持固定时间或循环`);
    return null;
  }
  const duration = body(def.timeDuration);
  const parts = duration === null ? null : parseDuration(duration);
  if (!duration || !parts) {
    err(id, `（${label}）的时长“${duration ?? ''}”不是有效的 ISO 8601 时长（如 PT2H、P3D）`);
    return null;
  }
  const workingDays = def.workingDays === true;
  if (workingDays && (parts.years || parts.months || parts.hours || parts.minutes || parts.seconds)) {
    err(id, `（${label}）按工作日计算时只能使用天或周（如 P3D）`);
    return null;
  }
  return { duration, workingDays };
}
