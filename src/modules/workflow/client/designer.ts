/**
 * The bpmn-js modeler island (browser code, bundled by esbuild — see ../designer-assets.ts).
 * The page works without it: the XML textarea is the form field. With JavaScript the diagram
 * is drawn above the textarea and every edit writes the XML back into it, so the form posts
 * exactly what the server validates. A small panel sets our attributes on the selected user
 * task (办理角色, 办理时限). No DOM lib in this project's tsconfig: the few DOM shapes used
 * are declared here.
 */
import Modeler from 'bpmn-js/lib/Modeler.js';

interface El {
  value: string;
  checked: boolean;
  hidden: boolean;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  addEventListener(type: string, f: () => void): void;
  querySelectorAll(sel: string): ArrayLike<El>;
}
declare const document: { getElementById(id: string): El | null };

interface BpmnElement {
  id: string;
  type: string;
  businessObject: { get(name: string): unknown; name?: string };
}
interface ModelerLike {
  importXML(xml: string): Promise<{ warnings: unknown[] }>;
  saveXML(o: { format: boolean }): Promise<{ xml?: string }>;
  on(event: string, f: (e: { newSelection?: BpmnElement[] }) => void): void;
  get(service: 'modeling'): { updateProperties(el: BpmnElement, props: Record<string, unknown>): void };
}
type ModelerCtor = new (o: { container: El; moddleExtensions: Record<string, unknown> }) => ModelerLike;

const zhengwu = {
  name: 'Zhengwu',
  prefix: 'zhengwu',
  uri: 'http://zhengwu.gov.cn/schema/bpmn',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    { name: 'UserTaskProps', extends: ['bpmn:UserTask'], properties: [{ name: 'candidateRoles', isAttr: true, type: 'String' }, { name: 'limit', isAttr: true, type: 'String' }, { name: 'organisation', isAttr: true, type: 'String' }] },
    { name: 'ServiceTaskProps', extends: ['bpmn:ServiceTask'], properties: [{ name: 'type', isAttr: true, type: 'String' }, { name: 'recipient', isAttr: true, type: 'String' }, { name: 'message', isAttr: true, type: 'String' }] },
    { name: 'MultiInstanceProps', extends: ['bpmn:MultiInstanceLoopCharacteristics'], properties: [{ name: 'collection', isAttr: true, type: 'String' }] },
    { name: 'TimerProps', extends: ['bpmn:TimerEventDefinition'], properties: [{ name: 'workingDays', isAttr: true, type: 'Boolean' }] },
  ],
};

async function main(): Promise<void> {
  const container = document.getElementById('bpmn-designer');
  const textarea = document.getElementById('f-xml');
  const status = document.getElementById('bpmn-designer-status');
  const panel = document.getElementById('bpmn-props');
  if (!container || !textarea) return;
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  container.hidden = false;
  const modeler = new (Modeler as unknown as ModelerCtor)({ container, moddleExtensions: { zhengwu } });
  try {
    await modeler.importXML(textarea.value);
    say(container.dataset.loaded ?? '');
  } catch {
    say(container.dataset.importFailed ?? '');
    container.hidden = true;
    return;
  }
  const sync = async () => {
    const { xml } = await modeler.saveXML({ format: true });
    if (xml) textarea.value = xml;
  };
  modeler.on('commandStack.changed', () => void sync());

  if (!panel) return;
  const roles = panel.querySelectorAll('input[name="designer-role"]');
  const limit = document.getElementById('designer-limit');
  const title = document.getElementById('bpmn-props-title');
  let selected: BpmnElement | null = null;
  modeler.on('selection.changed', (e) => {
    const el = e.newSelection?.length === 1 ? (e.newSelection[0] ?? null) : null;
    selected = el && el.type === 'bpmn:UserTask' ? el : null;
    panel.hidden = !selected;
    if (!selected) return;
    if (title) title.textContent = selected.businessObject.name ?? selected.id;
    const text = (name: string) => {
      const v = selected?.businessObject.get(name);
      return typeof v === 'string' ? v : '';
    };
    const current = (text('zhengwu:candidateRoles') || 'clerk').split(',');
    for (let i = 0; i < roles.length; i++) {
      const box = roles[i] as El;
      box.checked = current.includes(box.value);
    }
    if (limit) limit.value = text('zhengwu:limit');
  });
  const apply = () => {
    if (!selected) return;
    const chosen: string[] = [];
    for (let i = 0; i < roles.length; i++) {
      const box = roles[i] as El;
      if (box.checked) chosen.push(box.value);
    }
    modeler.get('modeling').updateProperties(selected, {
      'zhengwu:candidateRoles': chosen.join(',') || undefined,
      'zhengwu:limit': limit?.value.trim() || undefined,
    });
  };
  for (let i = 0; i < roles.length; i++) (roles[i] as El).addEventListener('change', apply);
  limit?.addEventListener('change', apply);
}

void main();
