import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression, testExpression } from './expression.ts';

describe('workflow condition language', () => {
  it.each([
    ["outcome == 'approve'", { outcome: 'approve' }, true],
    ["outcome == 'approve'", { outcome: 'reject' }, false],
    ['outcome == "approve"', { outcome: 'approve' }, true],
    ["outcome != 'approve'", {}, true],
    ['amount >= 10000 && region == "420102"', { amount: 12000, region: '420102' }, true],
    ['amount >= 10000 and not urgent', { amount: 12000, urgent: true }, false],
    ['a < 1 || b > 2', { a: 5, b: 3 }, true],
    ['nrOfApproved / nrOfInstances >= 0.5', { nrOfApproved: 2, nrOfInstances: 3 }, true],
    ['nrOfApproved / nrOfInstances >= 0.7', { nrOfApproved: 2, nrOfInstances: 3 }, false],
    ['(1 + 2) * 3 == 9', {}, true],
    ['-x == -4', { x: 4 }, true],
    ['applicant.type == "enterprise"', { applicant: { type: 'enterprise' } }, true],
    ['applicant.missing == null', { applicant: {} }, true],
    ["kind in ['A', 'B']", { kind: 'B' }, true],
    ["kind in ['A', 'B']", { kind: 'C' }, false],
    ['count == "3"', { count: 3 }, true],
    ['${outcome == "approve"}', { outcome: 'approve' }, true],
    ['办理结果 == "通过"', { 办理结果: '通过' }, true],
    ['x / 0 > 1', { x: 1 }, false],
    ['missing', {}, false],
  ])('%s with %j → %s', (source, vars, expected) => {
    expect(testExpression(source, vars)).toBe(expected);
  });

  it('never reaches the prototype chain', () => {
    expect(() => parseExpression('x.__proto__')).toThrow(ExpressionError);
    expect(() => parseExpression('constructor')).toThrow(ExpressionError);
    expect(evaluate(parseExpression('toString'), {})).toBeNull();
    expect(evaluate(parseExpression('a.hasOwnProperty'), { a: {} })).toBeNull();
  });

  it.each([
    ['', '条件表达式为空'],
    ["outcome == 'approve", '字符串没有结束引号'],
    ['outcome === 1', '比较是否相等请用 =='],
    ['outcome = 1', '比较是否相等请用 =='],
    ['a ==', '此处不能出现表达式结尾'],
    ['(a == 1', '此处应为“)”'],
    ['a b', '多出内容'],
    ['process.exit()', '多出内容'],
    ['a; b', '无法识别的字符“;”'],
    ['`x`', '无法识别的字符'],
  ])('refuses %j with a Chinese reason', (source, reason) => {
    expect(() => parseExpression(source)).toThrow(reason);
  });

  it('refuses deep nesting and very long input', () => {
    expect(() => parseExpression('('.repeat(100) + '1' + ')'.repeat(100))).toThrow('嵌套过深');
    expect(() => parseExpression('a == 1 || '.repeat(300) + 'a')).toThrow('过长');
  });
});
