import { Field, ID, InputType, Int } from 'type-graphql';
import { INSPECTING_AGENCIES, AgencyKindName } from '../../auth/agencies';
import { parseGlobalId } from '../../auth/global-id';
import { contains, isJurisdictionCode, owningRegion } from '../../auth/jurisdiction';
import { AgencyKind } from '../shared/agency';
import { DAY_MS, startOfBeijingDay } from '../shared/beijing-day';
import { badInput } from '../shared/errors';
import { jurisdictionProblem } from '../shared/jurisdictions';
import type { EnforcementContext } from './context';
import { creditCodeProblem } from './credit-code';
import type { NewInspection } from './inspection-repository';
import type { InspectionScenario } from './scenario-types';
import { TargetKind } from './inspection-types';
import type { NewParticipant } from './participant-repository';

const MAX_PERIOD_DAYS = 90;
export const NOTE_LIMIT = 2000;

@InputType({ description: 'What is inspected.' })
export class InspectionTargetInput {
  @Field(() => TargetKind, { nullable: true, defaultValue: TargetKind.ENTERPRISE })
  kind!: TargetKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: '18-character unified social credit code, checked by its last character (GB 32100).' })
  creditCode!: string;

  @Field(() => String)
  address!: string;

  @Field(() => String, { description: 'Jurisdiction code (inside the lead region) where the target is.' })
  jurisdiction!: string;
}

@InputType({ description: 'An agency of a jurisdiction, in any region of the hub, taking part in an inspection.' })
export class ParticipantInput {
  @Field(() => String, { description: "Region of the agency; its task is kept in that region's database." })
  region!: string;

  @Field(() => String, { description: 'Jurisdiction code of the agency, inside its region.' })
  jurisdiction!: string;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => ID, { nullable: true, description: "The officer the agency sends (an officer of the agency's region)." })
  officerId?: string | null;
}

@InputType({ description: 'Opens a joint inspection at its first step (智能预警).' })
export class CreateInspectionInput {
  @Field(() => String, { description: 'Lead region, where the inspection is kept.' })
  region!: string;

  @Field(() => String, { description: 'Code of a scenario of the catalogue (`inspectionScenarios`).' })
  scenarioCode!: string;

  @Field(() => InspectionTargetInput)
  target!: InspectionTargetInput;

  @Field(() => String, { description: 'Jurisdiction code of the lead agency, inside the lead region.' })
  leadJurisdiction!: string;

  @Field(() => AgencyKind)
  leadAgency!: AgencyKind;

  @Field(() => ID, { nullable: true, description: 'The officer leading it (of the lead region).' })
  leadOfficerId?: string | null;

  @Field(() => Date, { description: 'Start of the planned period.' })
  plannedAt!: Date;

  @Field(() => Date, { description: `End of the planned period (exclusive); at most ${MAX_PERIOD_DAYS} days after the start.` })
  plannedUntil!: Date;

  @Field(() => [ParticipantInput], { nullable: true, description: 'Agencies taking part besides the lead; more may be added when planning or by joining.' })
  participants?: ParticipantInput[] | null;

  @Field(() => String, { nullable: true, description: 'Why the inspection is called for (the warning).' })
  note?: string | null;
}

@InputType({ description: 'Generates the plan (计划生成).' })
export class PlanInspectionInput {
  @Field(() => [ParticipantInput], {
    nullable: true,
    description: "Agencies to add. When the inspection has none, the scenario's agencies in the lead jurisdiction are invited.",
  })
  participants?: ParticipantInput[] | null;

  @Field(() => ID, { nullable: true })
  leadOfficerId?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType({ description: 'The evaluation (评价反馈).' })
export class EvaluateInspectionInput {
  @Field(() => Int, { description: '0 to 100.' })
  score!: number;

  @Field(() => String)
  comment!: string;
}

@InputType({ description: "The target's own evaluation of the visit (企业评价)." })
export class TargetEvaluationInput {
  @Field(() => Int, { description: '0 to 100.' })
  score!: number;

  @Field(() => String)
  comment!: string;

  @Field(() => String, { description: "Who gave it for the target, such as the enterprise's legal representative." })
  representative!: string;
}

@InputType({ description: 'An agency joining an inspection already under way for its target, instead of opening a second one.' })
export class JoinInspectionInput {
  @Field(() => ID)
  inspectionId!: string;

  @Field(() => ParticipantInput)
  participant!: ParticipantInput;
}

export function checkNote(note: string | null | undefined, field = 'note'): string | null {
  if (note && note.length > NOTE_LIMIT) throw badInput(field, `must be at most ${NOTE_LIMIT} characters, but has ${note.length}`);
  return note?.trim() || null;
}

function checkText(value: string, field: string, limit: number): string {
  const text = value.trim();
  if (!text) throw badInput(field, 'must not be empty');
  if (text.length > limit) throw badInput(field, `must be at most ${limit} characters, but has ${text.length}`);
  return text;
}

function checkAgency(agency: AgencyKindName, field: string): AgencyKindName {
  if (!INSPECTING_AGENCIES.includes(agency)) throw badInput(field, `${agency} does not carry out inspections; use one of ${INSPECTING_AGENCIES.join(', ')}`);
  return agency;
}

export function checkOfficerId(id: string | null | undefined, region: string, field: string): string | null {
  if (id === null || id === undefined) return null;
  const parts = parseGlobalId(id);
  if (!parts) throw badInput(field, `${JSON.stringify(id)} is not an officer id such as "${region}:3"`);
  if (parts.region !== region) throw badInput(field, `officer ${id} is of region ${parts.region}, not ${region}`);
  return id;
}

/** Someone already in the inspection: the lead, or a participant. */
interface Member {
  jurisdiction: string;
  agency: AgencyKindName;
}

/**
 * Participants as given, checked one by one (the error names the index): a region of the hub, a
 * jurisdiction inside it, an inspecting agency, an officer of that region, and nobody already in.
 */
/** One visit, a handful of agencies: more would be a campaign, not an inspection (and an easy flood). */
export const MAX_PARTICIPANTS = 20;

export function checkParticipants(
  ctx: EnforcementContext,
  participants: readonly ParticipantInput[],
  fieldOf: (index: number) => string,
  members: readonly Member[],
): NewParticipant[] {
  const regionCodes = ctx.regions.map((r) => r.code);
  if (members.length + participants.length > MAX_PARTICIPANTS) {
    throw badInput(
      fieldOf(0).replace(/\[0\]$/, ''),
      `an inspection takes at most ${MAX_PARTICIPANTS} agencies, lead included; this would make ${members.length + participants.length}`,
    );
  }
  const seen = new Set(members.map((m) => `${m.jurisdiction}|${m.agency}`));
  return participants.map((participant, index) => {
    const at = fieldOf(index);
    if (!regionCodes.includes(participant.region))
      throw badInput(`${at}.region`, `${JSON.stringify(participant.region)} is not a region of this hub (${regionCodes.join(', ')})`);
    if (!isJurisdictionCode(participant.jurisdiction))
      throw badInput(`${at}.jurisdiction`, `must be a 6- or 9-digit jurisdiction code, but got ${JSON.stringify(participant.jurisdiction)}`);
    if (owningRegion(participant.jurisdiction, regionCodes) !== participant.region) {
      throw badInput(`${at}.jurisdiction`, `${participant.jurisdiction} is not inside region ${participant.region}`);
    }
    const agency = checkAgency(participant.agency, `${at}.agency`);
    const member = `${participant.jurisdiction}|${agency}`;
    if (seen.has(member)) throw badInput(at, `${agency} of ${participant.jurisdiction} already takes part in this inspection`);
    seen.add(member);
    const problem = jurisdictionProblem(participant.region, participant.jurisdiction, { cityLevel: true });
    if (problem) throw badInput(`${at}.jurisdiction`, problem);
    return {
      region: participant.region,
      jurisdiction: participant.jurisdiction,
      agency,
      officerId: checkOfficerId(participant.officerId, participant.region, `${at}.officerId`),
    };
  });
}

/** A new inspection as given, checked field by field; the scenario's existence is checked by the caller. */
export function checkCreation(
  ctx: EnforcementContext,
  input: CreateInspectionInput,
  createdBy: string,
  now = new Date(),
): { inspection: NewInspection; participants: NewParticipant[] } {
  if (input.region !== ctx.region) throw badInput('input.region', `this instance serves region ${ctx.region}, not ${input.region}`);
  const creditCode = input.target.creditCode.trim().toUpperCase();
  const problem = creditCodeProblem(creditCode);
  if (problem) throw badInput('input.target.creditCode', `${JSON.stringify(input.target.creditCode)} ${problem}`);
  const inside = (code: string, field: string) => {
    if (!isJurisdictionCode(code)) throw badInput(field, `must be a 6- or 9-digit jurisdiction code, but got ${JSON.stringify(code)}`);
    if (!contains(ctx.region, code)) throw badInput(field, `${code} is not inside the lead region ${ctx.region}`);
    return code;
  };
  const leadJurisdiction = inside(input.leadJurisdiction, 'input.leadJurisdiction');
  if (leadJurisdiction.length !== 6) throw badInput('input.leadJurisdiction', 'a lead agency is of a city or county (6 digits)');
  const leadAgency = checkAgency(input.leadAgency, 'input.leadAgency');
  const plannedAt = input.plannedAt;
  const plannedUntil = input.plannedUntil;
  if (Number.isNaN(plannedAt.getTime())) throw badInput('input.plannedAt', 'is not a valid date');
  if (Number.isNaN(plannedUntil.getTime())) throw badInput('input.plannedUntil', 'is not a valid date');
  if (plannedUntil <= plannedAt) throw badInput('input.plannedUntil', 'must be after input.plannedAt');
  // A plan is for what is still to come; a visit later today is fine, a period already begun before today is not.
  const today = startOfBeijingDay(now);
  if (plannedAt < today)
    throw badInput(
      'input.plannedAt',
      `${plannedAt.toISOString()} is in the past: a planned period starts today (${today.toISOString()}, 00:00 Beijing time) or later`,
    );
  if (plannedUntil.getTime() - plannedAt.getTime() > MAX_PERIOD_DAYS * DAY_MS)
    throw badInput('input.plannedUntil', `the planned period is at most ${MAX_PERIOD_DAYS} days`);
  return {
    inspection: {
      scenarioCode: input.scenarioCode,
      target: {
        kind: input.target.kind ?? TargetKind.ENTERPRISE,
        name: checkText(input.target.name, 'input.target.name', 100),
        creditCode,
        address: checkText(input.target.address, 'input.target.address', 200),
        jurisdiction: inside(input.target.jurisdiction, 'input.target.jurisdiction'),
      },
      leadJurisdiction,
      leadAgency,
      leadOfficerId: checkOfficerId(input.leadOfficerId, ctx.region, 'input.leadOfficerId'),
      plannedAt,
      plannedUntil,
      createdBy,
    },
    participants: checkParticipants(ctx, input.participants ?? [], (i) => `input.participants[${i}]`, [{ jurisdiction: leadJurisdiction, agency: leadAgency }]),
  };
}

/**
 * The agencies of a plan must be the scenario's (the catalogue says which): an ecology bureau has
 * no business on a catering check. The lead is checked when given (`leadField`).
 */
export function checkScenarioAgencies(
  scenario: InspectionScenario,
  lead: { agency: AgencyKindName; field: string } | null,
  participants: readonly { agency: AgencyKindName }[],
  fieldOf: (index: number) => string,
): void {
  const allowed = scenario.agencies as readonly string[];
  const refuse = (field: string, agency: string) =>
    badInput(field, `${agency} does not take part in scenario ${scenario.code} (${scenario.name}); its agencies are ${allowed.join(', ')}`);
  if (lead && !allowed.includes(lead.agency)) throw refuse(lead.field, lead.agency);
  participants.forEach((participant, index) => {
    if (!allowed.includes(participant.agency)) throw refuse(`${fieldOf(index)}.agency`, participant.agency);
  });
}

export function checkTargetEvaluation(input: TargetEvaluationInput): TargetEvaluationInput {
  const { score, comment } = checkEvaluation(input);
  return { score, comment, representative: checkText(input.representative, 'input.representative', 100) };
}

export function checkEvaluation(input: EvaluateInspectionInput): EvaluateInspectionInput {
  if (!Number.isInteger(input.score) || input.score < 0 || input.score > 100)
    throw badInput('input.score', `must be a whole number from 0 to 100, but got ${input.score}`);
  return { score: input.score, comment: checkText(input.comment, 'input.comment', NOTE_LIMIT) };
}
