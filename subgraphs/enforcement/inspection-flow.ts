/**
 * The order of the joint-inspection flow (综合查一次) and of a participant's task, as plain data.
 * Resolvers ask this module whether a move may happen; no other file knows the order.
 *
 *   WARNING 智能预警 → PLAN 计划生成 → DISPATCH 任务派发 → INSPECT 执法检查 → EVALUATE 评价反馈
 *   task:   PENDING (received) → ACCEPTED → COMPLETED, only once the joint visit has begun
 *
 * A task is received at 任务派发 but waits for the visit: the participants enter the door
 * together at 执法检查, so no agency accepts, records findings or completes before then.
 *
 * A move to where the record already is means someone else made it first: that is a CONFLICT
 * (of two officers pressing the same button, one wins), not an INVALID_TRANSITION (a step
 * skipped or taken backwards), so the loser learns the right thing whichever way the race went.
 */

export enum InspectionStep {
  WARNING = 'WARNING',
  PLAN = 'PLAN',
  DISPATCH = 'DISPATCH',
  INSPECT = 'INSPECT',
  EVALUATE = 'EVALUATE',
}

export const STEP_ORDER: readonly InspectionStep[] = [
  InspectionStep.WARNING,
  InspectionStep.PLAN,
  InspectionStep.DISPATCH,
  InspectionStep.INSPECT,
  InspectionStep.EVALUATE,
];

export enum TaskStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  COMPLETED = 'COMPLETED',
}

/** What the lead region knows of a participant's task: its own dispatch state, then the task's status. */
export enum ParticipantTaskStatus {
  NOT_DISPATCHED = 'NOT_DISPATCHED',
  DISPATCHING = 'DISPATCHING',
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  COMPLETED = 'COMPLETED',
}

/** Mirror states in the order they are reached; a report never moves the mirror backwards. */
export const PARTICIPANT_STATUS_ORDER: readonly ParticipantTaskStatus[] = [
  ParticipantTaskStatus.NOT_DISPATCHED,
  ParticipantTaskStatus.DISPATCHING,
  ParticipantTaskStatus.PENDING,
  ParticipantTaskStatus.ACCEPTED,
  ParticipantTaskStatus.COMPLETED,
];

export type Refusal = { code: 'INVALID_TRANSITION' | 'CONFLICT'; reason: string };

/** Whether an inspection at `current` may move to `wanted`; undefined when it may. */
export function stepRefusal(current: InspectionStep, wanted: InspectionStep): Refusal | undefined {
  const from = STEP_ORDER.indexOf(current);
  const to = STEP_ORDER.indexOf(wanted);
  if (to === from + 1) return undefined;
  if (to === from) return { code: 'CONFLICT', reason: `it is already at ${wanted}: someone else moved it first` };
  if (to === 0) return { code: 'INVALID_TRANSITION', reason: `it is at ${current}; ${wanted} is where an inspection starts` };
  return { code: 'INVALID_TRANSITION', reason: `it is at ${current}, but ${wanted} follows ${STEP_ORDER[to - 1]}` };
}

/** True once tasks exist for the inspection's participants: new participants get theirs at once. */
export function isDispatched(step: InspectionStep): boolean {
  return STEP_ORDER.indexOf(step) >= STEP_ORDER.indexOf(InspectionStep.DISPATCH);
}

/** True once the joint visit has begun (执法检查 or later). */
export function isVisited(step: InspectionStep): boolean {
  return STEP_ORDER.indexOf(step) >= STEP_ORDER.indexOf(InspectionStep.INSPECT);
}

export type TaskAction = 'accept' | 'recordFinding' | 'complete';

/** Whether a task at `status` allows `action`, given whether the joint visit has begun; undefined when it does. */
export function taskRefusal(status: TaskStatus, action: TaskAction, visitStarted: boolean): Refusal | undefined {
  if (!visitStarted) {
    return {
      code: 'INVALID_TRANSITION',
      reason: 'the joint visit has not begun: tasks wait until the lead region starts the inspection (startInspection, 执法检查)',
    };
  }
  switch (action) {
    case 'accept':
      if (status === TaskStatus.PENDING) return undefined;
      return { code: 'CONFLICT', reason: `it is already ${status}: someone else accepted it first` };
    case 'recordFinding':
      if (status === TaskStatus.ACCEPTED) return undefined;
      return { code: 'INVALID_TRANSITION', reason: `it is ${status}; findings are recorded on an ACCEPTED task` };
    case 'complete':
      if (status === TaskStatus.ACCEPTED) return undefined;
      if (status === TaskStatus.COMPLETED) return { code: 'CONFLICT', reason: 'it is already COMPLETED: someone else completed it first' };
      return { code: 'INVALID_TRANSITION', reason: `it is ${status}; a task is accepted before it is completed` };
  }
}

/** The participants that keep an inspection from being evaluated (评价反馈 needs every task complete). */
export function unfinishedParticipants<P extends { taskStatus: ParticipantTaskStatus }>(participants: readonly P[]): P[] {
  return participants.filter((participant) => participant.taskStatus !== ParticipantTaskStatus.COMPLETED);
}
