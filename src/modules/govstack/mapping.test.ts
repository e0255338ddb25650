import { describe, expect, it } from 'vitest';
import { documentUrl, parseDocumentUrl, parseTaskId, stageOf, statusOf, taskIdOf } from './mapping.ts';

describe('GovStack mapping', () => {
  const id = '3f2b6c1e-9a7d-4c2e-8b1a-0d9e8f7a6b5c';

  it('round-trips task ids and refuses anything else', () => {
    expect(parseTaskId(taskIdOf(id, 'approve'))).toEqual({ caseId: id, stage: 'approve' });
    expect(parseTaskId(`${id}.special-end`)).toEqual({ caseId: id, stage: 'special-end' });
    expect(parseTaskId(id)).toBeNull();
    expect(parseTaskId(`${id}.x`)).toBeNull();
    expect(parseTaskId(`../${id}.accept`)).toBeNull();
  });

  it('round-trips document urls with and without a material code', () => {
    expect(parseDocumentUrl(documentUrl(id, 'M1'))).toEqual({ attachmentId: id, materialCode: 'M1' });
    expect(parseDocumentUrl(documentUrl(id, null))).toEqual({ attachmentId: id, materialCode: null });
    expect(parseDocumentUrl(`https://gov.example/govstack/documents/${id}?materialCode=M2`)).toEqual({ attachmentId: id, materialCode: 'M2' });
    expect(parseDocumentUrl('https://example.com/x.pdf')).toBeNull();
    expect(parseDocumentUrl(`/govstack/documents/${id}?materialCode=<script>`)).toBeNull();
  });

  it('maps case states and result codes onto the spec statuses', () => {
    expect(statusOf({ state: 'SUBMITTED', result_code: null, decision: null }).code).toBe('PENDING');
    expect(statusOf({ state: 'NEEDS_CORRECTION', result_code: null, decision: null }).code).toBe('SENDBACK');
    expect(statusOf({ state: 'CLOSED', result_code: 5, decision: null }).code).toBe('SENDBACK');
    expect(statusOf({ state: 'CLOSED', result_code: 6, decision: null }).code).toBe('REJECTED');
    expect(statusOf({ state: 'REFUSED', result_code: null, decision: 'refuse' }).code).toBe('REJECTED');
    expect(statusOf({ state: 'APPROVED', result_code: null, decision: 'approve' }).code).toBe('APPROVED');
    expect(statusOf({ state: 'CLOSED', result_code: 0, decision: 'approve' })).toEqual({ code: 'APPROVED', title: 'Completed / 已办结' });
  });

  it('names the one open step of a case and who acts on it', () => {
    expect(stageOf({ state: 'SUBMITTED', node_index: null })).toMatchObject({ stage: 'accept', role: 'clerk' });
    expect(stageOf({ state: 'NEEDS_CORRECTION', node_index: null })).toMatchObject({ stage: 'supplement', role: 'applicant' });
    expect(stageOf({ state: 'IN_PROCESS', node_index: 0 })).toMatchObject({ stage: 'undertake', role: 'clerk' });
    expect(stageOf({ state: 'IN_PROCESS', node_index: 2 })).toMatchObject({ stage: 'approve', role: 'org_head' });
    expect(stageOf({ state: 'RESULT_READY', node_index: null })).toMatchObject({ stage: 'deliver' });
    expect(stageOf({ state: 'CLOSED', node_index: null })).toBeNull();
    expect(stageOf({ state: 'IN_PROCESS', node_index: 9 })).toBeNull();
  });
});
