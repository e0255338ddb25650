import { LEGAL_UNITS, PROMISED_UNITS, type ItemElements } from '../types.ts';

/** Limits in words, as the guide shows them: "20 个工作日", "即时办结". */
export function legalLimitText(e: ItemElements): string {
  return e.legalLimit ? `${e.legalLimit.n} ${LEGAL_UNITS[e.legalLimit.unit]}` : '法律法规未规定';
}

export function promisedLimitText(e: ItemElements): string {
  if (!e.promisedLimit || e.promisedLimit.n === 0) return '即时办结（当场办结）';
  return `${e.promisedLimit.n} ${PROMISED_UNITS[e.promisedLimit.unit]}`;
}

export function visitsText(e: ItemElements): string {
  return e.visitCount === 0 ? '0 次（零跑动）' : `${e.visitCount} 次`;
}

export const DEPTH_LABEL: Record<string, string> = { '': '未开通', I: 'Ⅰ级：网上办事指南', II: 'Ⅱ级：表格下载、在线咨询预约', III: 'Ⅲ级：网上申请、网上预审', IV: 'Ⅳ级：全程网办' };
