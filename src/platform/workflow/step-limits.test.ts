import { describe, expect, it } from 'vitest';
import { defaultStepLimits } from './default-process.ts';

/** The default flow's step limits split from the decision limit (docs/workflow.md “Step limits”). */
describe('defaultStepLimits', () => {
  it('gives 受理 1 WD, 决定 2 WD from 10 WD on, 审查 the rest', () => {
    expect(defaultStepLimits(20)).toEqual({ Task_Accept: 1, Task_Review: 17, Task_Decide: 2 });
    expect(defaultStepLimits(10)).toEqual({ Task_Accept: 1, Task_Review: 7, Task_Decide: 2 });
    expect(defaultStepLimits(9)).toEqual({ Task_Accept: 1, Task_Review: 7, Task_Decide: 1 });
    expect(defaultStepLimits(5)).toEqual({ Task_Accept: 1, Task_Review: 3, Task_Decide: 1 });
  });

  it('sums to the decision limit whenever that leaves 审查 at least 1 WD', () => {
    for (let n = 3; n <= 60; n++) {
      const l = defaultStepLimits(n);
      expect(l.Task_Accept! + l.Task_Review! + l.Task_Decide!).toBe(n);
    }
  });

  it('never goes below 1 WD a step, even for a limit shorter than the flow (or none left)', () => {
    for (const n of [2, 1, 0, -3, 2.7]) {
      const l = defaultStepLimits(n);
      expect(Math.min(...Object.values(l))).toBeGreaterThanOrEqual(1);
      expect(Object.values(l).every(Number.isInteger)).toBe(true);
    }
    expect(defaultStepLimits(2)).toEqual({ Task_Accept: 1, Task_Review: 1, Task_Decide: 1 });
    expect(defaultStepLimits(Number.NaN)).toEqual(defaultStepLimits(20));
  });

  it('leaves 办结 without a limit (the legal issue clock is the case deadline then)', () => {
    expect(defaultStepLimits(20)).not.toHaveProperty('Task_Close');
  });
});
