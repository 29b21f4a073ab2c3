import { creditCodeProblem } from '../subgraphs/enforcement/credit-code';
import {
  InspectionStep,
  ParticipantTaskStatus,
  stepRefusal,
  STEP_ORDER,
  taskRefusal,
  TaskStatus,
  unfinishedParticipants,
} from '../subgraphs/enforcement/inspection-flow';
import { CatalogueEntry, demoInspections } from '../subgraphs/enforcement/seed-plan';
import { DEMO_REGIONS } from './support/hub';

/** The order of 综合查一次 and the demo generator, as plain functions. */

describe('the five steps', () => {
  test('each step follows the one before it, and only that one', () => {
    STEP_ORDER.forEach((current, from) => {
      STEP_ORDER.forEach((wanted, to) => {
        const refusal = stepRefusal(current, wanted);
        if (to === from + 1) expect(refusal).toBeUndefined();
        else if (to === from) expect(refusal?.code).toBe('CONFLICT');
        else expect(refusal?.code).toBe('INVALID_TRANSITION');
      });
    });
    expect(stepRefusal(InspectionStep.WARNING, InspectionStep.DISPATCH)?.reason).toBe('it is at WARNING, but DISPATCH follows PLAN');
  });

  test('a task is accepted, then completed; doing either twice is a conflict', () => {
    expect(taskRefusal(TaskStatus.PENDING, 'accept', true)).toBeUndefined();
    expect(taskRefusal(TaskStatus.ACCEPTED, 'accept', true)?.code).toBe('CONFLICT');
    expect(taskRefusal(TaskStatus.PENDING, 'complete', true)?.code).toBe('INVALID_TRANSITION');
    expect(taskRefusal(TaskStatus.PENDING, 'recordFinding', true)?.code).toBe('INVALID_TRANSITION');
    expect(taskRefusal(TaskStatus.ACCEPTED, 'recordFinding', true)).toBeUndefined();
    expect(taskRefusal(TaskStatus.ACCEPTED, 'complete', true)).toBeUndefined();
    expect(taskRefusal(TaskStatus.COMPLETED, 'complete', true)?.code).toBe('CONFLICT');
  });

  test('before the joint visit begins, a task can be neither accepted, nor given findings, nor completed', () => {
    for (const action of ['accept', 'recordFinding', 'complete'] as const) {
      expect(taskRefusal(TaskStatus.PENDING, action, false)).toEqual({
        code: 'INVALID_TRANSITION',
        reason: expect.stringMatching(/joint visit has not begun.*startInspection/),
      });
    }
  });

  test('evaluation waits for every participant', () => {
    const participants = [{ taskStatus: ParticipantTaskStatus.COMPLETED }, { taskStatus: ParticipantTaskStatus.ACCEPTED }];
    expect(unfinishedParticipants(participants)).toEqual([participants[1]]);
  });
});

describe('the demo generator', () => {
  const catalogue: CatalogueEntry[] = [
    { code: 'CATERING_FOOD_SAFETY', agencies: ['MARKET_REGULATION', 'HEALTH', 'FIRE_RESCUE'] },
    { code: 'WASTEWATER_DISCHARGE', agencies: ['ECOLOGY_ENVIRONMENT', 'URBAN_MANAGEMENT'] },
  ];
  const scale = { persons: 0, petitions: 0, warnings: 0, inspections: 200, officersPerAgency: 4 };
  const jiaxing = DEMO_REGIONS.find((r) => r.code === '330400')!;

  test('is a pure function of its inputs', () => {
    expect(demoInspections(7, jiaxing, scale, DEMO_REGIONS, catalogue)).toEqual(demoInspections(7, jiaxing, scale, DEMO_REGIONS, catalogue));
    expect(demoInspections(8, jiaxing, scale, DEMO_REGIONS, catalogue)).not.toEqual(demoInspections(7, jiaxing, scale, DEMO_REGIONS, catalogue));
  });

  test('gives check-valid credit codes, participants of other regions, and tasks only once dispatched', () => {
    const inspections = demoInspections(7, jiaxing, scale, DEMO_REGIONS, catalogue);
    expect(inspections).toHaveLength(200);
    expect(inspections.every((i) => creditCodeProblem(i.target.creditCode) === undefined)).toBe(true);
    const participants = inspections.flatMap((i) => i.participants.map((p) => ({ ...p, step: i.step })));
    expect(participants.some((p) => p.region !== '330400')).toBe(true);
    for (const p of participants) {
      const dispatched = STEP_ORDER.indexOf(p.step) >= STEP_ORDER.indexOf(InspectionStep.DISPATCH);
      expect(p.taskId === null).toBe(!dispatched);
      if (p.taskId) expect(p.taskId.startsWith(`${p.region}:`)).toBe(true);
      if (p.step === InspectionStep.EVALUATE) expect(p.status).toBe(ParticipantTaskStatus.COMPLETED);
      // Dispatched but not yet visited: the task waits for the joint visit.
      if (p.step === InspectionStep.DISPATCH) expect(p.status).toBe(ParticipantTaskStatus.PENDING);
    }
    expect(new Set(participants.map((p) => p.taskId).filter(Boolean)).size).toBe(participants.filter((p) => p.taskId).length);
  });
});
