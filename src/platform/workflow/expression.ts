/**
 * The workflow's condition language: a tiny, safe expression language for gateway conditions
 * and multi-instance completion conditions (`outcome == 'approve'`,
 * `nrOfApproved / nrOfInstances >= 0.5 && amount < 10000`). Parsed once when a definition is
 * saved (a syntax error names the element), evaluated many times against the instance's
 * variables. Never `eval` — a recursive-descent parser over a fixed grammar:
 *
 *   expr    := or
 *   or      := and (('||' | 'or') and)*
 *   and     := not (('&&' | 'and') not)*
 *   not     := ('!' | 'not') not | cmp
 *   cmp     := sum (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '%') unary)*
 *   unary   := '-' unary | atom
 *   atom    := number | 'string' | "string" | true | false | null | name('.' name)* | '(' expr ')' | '[' (expr (',' expr)*)? ']'
 *
 * A `${ … }` wrapper (Camunda/Flowable habit) is accepted and ignored.
 */

export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'var'; path: string[] }
  | { k: 'list'; items: Expr[] }
  | { k: 'not'; e: Expr }
  | { k: 'neg'; e: Expr }
  | { k: 'bin'; op: BinOp; l: Expr; r: Expr };

type BinOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const MAX_LENGTH = 2000;
const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new ExpressionError(`字符串没有结束引号（位置 ${i + 1}）`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_\u4e00-\u9fff]/.test(c)) {
      const m = /^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`无法识别的字符“${c}”（位置 ${i + 1}）${c === '=' ? '，比较是否相等请用 ==' : ''}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'end' });
  return out;
}

const FORBIDDEN_NAMES = new Set(['__proto__', 'prototype', 'constructor']);

/** Parses an expression; throws ExpressionError with a Chinese reason. */
export function parseExpression(source: string): Expr {
  let text = source.trim();
  if (text.startsWith('${') && text.endsWith('}')) text = text.slice(2, -1).trim();
  if (text.length === 0) throw new ExpressionError('条件表达式为空');
  if (text.length > MAX_LENGTH) throw new ExpressionError(`条件表达式过长（不超过 ${MAX_LENGTH} 个字符）`);
  const toks = tokenize(text);
  let p = 0;
  let depth = 0;
  const peek = (): Tok => toks[p] as Tok;
  const isOp = (v: string) => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const isWord = (v: string) => {
    const t = peek();
    return t.t === 'name' && t.v === v;
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`此处应为“${v}”`);
    p++;
  };
  const describe = (t: Tok) => (t.t === 'end' ? '表达式结尾' : `“${String(t.v)}”`);

  const or = (): Expr => {
    let l = and();
    while (isOp('||') || isWord('or')) {
      p++;
      l = { k: 'bin', op: '||', l, r: and() };
    }
    return l;
  };
  const and = (): Expr => {
    let l = not();
    while (isOp('&&') || isWord('and')) {
      p++;
      l = { k: 'bin', op: '&&', l, r: not() };
    }
    return l;
  };
  const not = (): Expr => {
    if (isOp('!') || isWord('not')) {
      p++;
      return { k: 'not', e: not() };
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const l = sum();
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (isOp(op)) {
        p++;
        return { k: 'bin', op, l, r: sum() };
      }
    }
    if (isWord('in')) {
      p++;
      return { k: 'bin', op: 'in', l, r: sum() };
    }
    return l;
  };
  const sum = (): Expr => {
    let l = product();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as { v: '+' | '-' }).v;
      p++;
      l = { k: 'bin', op, l, r: product() };
    }
    return l;
  };
  const product = (): Expr => {
    let l = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (peek() as { v: '*' | '/' | '%' }).v;
      p++;
      l = { k: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      p++;
      return { k: 'neg', e: unary() };
    }
    return atom();
  };
  const atom = (): Expr => {
    const t = peek();
    if (++depth > 64) throw new ExpressionError('条件表达式嵌套过深');
    try {
      if (t.t === 'num' || t.t === 'str') {
        p++;
        return { k: 'lit', v: t.v };
      }
      if (t.t === 'name') {
        p++;
        if (t.v === 'true') return { k: 'lit', v: true };
        if (t.v === 'false') return { k: 'lit', v: false };
        if (t.v === 'null') return { k: 'lit', v: null };
        if (['and', 'or', 'not', 'in'].includes(t.v)) throw new ExpressionError(`此处不能出现关键字“${t.v}”`);
        const path = [t.v];
        while (isOp('.')) {
          p++;
          const n = peek();
          if (n.t !== 'name') throw new ExpressionError('“.”后面应为变量名');
          path.push(n.v);
          p++;
        }
        for (const seg of path) if (FORBIDDEN_NAMES.has(seg)) throw new ExpressionError(`不允许使用名称“${seg}”`);
        return { k: 'var', path };
      }
      if (isOp('(')) {
        p++;
        const e = or();
        expect(')');
        return e;
      }
      if (isOp('[')) {
        p++;
        const items: Expr[] = [];
        if (!isOp(']')) {
          items.push(or());
          while (isOp(',')) {
            p++;
            items.push(or());
          }
        }
        expect(']');
        return { k: 'list', items };
      }
      throw new ExpressionError(`此处不能出现${describe(t)}`);
    } finally {
      depth--;
    }
  };

  const e = or();
  if (peek().t !== 'end') throw new ExpressionError(`表达式在${describe(peek())}处多出内容`);
  return e;
}

export type Variables = Readonly<Record<string, unknown>>;

function lookup(vars: Variables, path: string[]): unknown {
  let v: unknown = vars;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return null;
    v = (v as Record<string, unknown>)[seg];
  }
  return v === undefined ? null : v;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.NaN;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== '' && !(typeof v === 'number' && Number.isNaN(v));
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = num(a);
    const y = num(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y;
  }
  return a === b;
}

/** Evaluates a parsed expression; a missing variable is null, so `x == null` tests presence. */
export function evaluate(e: Expr, vars: Variables): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'var':
      return lookup(vars, e.path);
    case 'list':
      return e.items.map((i) => evaluate(i, vars));
    case 'not':
      return !truthy(evaluate(e.e, vars));
    case 'neg':
      return -num(evaluate(e.e, vars));
    case 'bin': {
      if (e.op === '&&') return truthy(evaluate(e.l, vars)) && truthy(evaluate(e.r, vars));
      if (e.op === '||') return truthy(evaluate(e.l, vars)) || truthy(evaluate(e.r, vars));
      const l = evaluate(e.l, vars);
      const r = evaluate(e.r, vars);
      switch (e.op) {
        case '==':
          return equal(l, r);
        case '!=':
          return !equal(l, r);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          if (typeof l === 'string' && typeof r === 'string') return e.op === '<' ? l < r : e.op === '<=' ? l <= r : e.op === '>' ? l > r : l >= r;
          const x = num(l);
          const y = num(r);
          if (Number.isNaN(x) || Number.isNaN(y)) return false;
          return e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y;
        }
        case 'in':
          if (Array.isArray(r)) return r.some((x) => equal(l, x));
          if (typeof r === 'string' && typeof l === 'string') return r.includes(l);
          return false;
        case '+':
          if (typeof l === 'string' || typeof r === 'string') return `${scalarText(l)}${scalarText(r)}`;
          return num(l) + num(r);
        case '-':
          return num(l) - num(r);
        case '*':
          return num(l) * num(r);
        case '/': {
          const d = num(r);
          return d === 0 ? Number.NaN : num(l) / d;
        }
        case '%': {
          const d = num(r);
          return d === 0 ? Number.NaN : num(l) % d;
        }
      }
    }
  }
}

/** Evaluates to a boolean (conditions). */
export function test(e: Expr, vars: Variables): boolean {
  return truthy(evaluate(e, vars));
}

/** Parses and tests in one step (for callers holding only the text). */
export function testExpression(source: string, vars: Variables): boolean {
  return test(parseExpression(source), vars);
}
