import { Arg, Ctx, Directive, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { toGlobalId } from '../../auth/global-id';
import { AgencyKind } from '../shared/agency';
import { isUniqueViolation } from '../shared/db';
import { auditedChange } from '../shared/audited-change';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import { actingOfficerId } from './acting-officer';
import { ownLocalId } from '../shared/local-id';
import { certificateNumberProblem } from './certificate-number';
import type { PersonnelContext } from './context';
import { jurisdictionProblem } from '../shared/jurisdictions';
import { findOfficers, insertOfficer, NewOfficer, setOfficerActive, toOfficer } from './officer-repository';
import { Officer, OfficerRole } from './officer-types';
import { checkName, checkPhone } from './person-input';

@InputType({ description: "An officer to add to a region's directory." })
export class RegisterOfficerInput {
  @Field(() => String, { description: "Region of the officer's agency, which will own the record." })
  region!: string;

  @Field(() => String, { description: 'Sign-in name: 3–64 of a–z, 0–9, dot, hyphen, underscore; stored in lower case.' })
  login!: string;

  @Field(() => String)
  name!: string;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String, { description: "The region's own code (city level), or a county or street inside it." })
  jurisdiction!: string;

  @Field(() => [OfficerRole])
  roles!: OfficerRole[];

  @Field(() => String, { nullable: true, description: '执法证号; required for ENFORCEMENT_OFFICER.' })
  certificateNumber?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

function checkOfficer(region: string, input: RegisterOfficerInput): NewOfficer {
  if (input.region !== region) throw badInput('input.region', `this instance serves region ${region}, not ${JSON.stringify(input.region)}`);
  const login = input.login.trim().toLowerCase();
  if (!LOGIN.test(login))
    throw badInput(
      'input.login',
      `must be 3–64 characters of a–z, 0–9, ".", "-", "_", starting with a letter or digit, but got ${JSON.stringify(input.login)}`,
    );
  const name = checkName(input.name, 'input.name');
  const jurisdictionTrouble = jurisdictionProblem(region, input.jurisdiction, { cityLevel: true });
  if (jurisdictionTrouble) throw badInput('input.jurisdiction', jurisdictionTrouble);
  const roles = [...new Set(input.roles)];
  if (!roles.length) throw badInput('input.roles', 'must name at least one role');
  const certificateNumber = input.certificateNumber?.trim().toUpperCase() || null;
  if (certificateNumber) {
    const problem = certificateNumberProblem(certificateNumber, { agency: input.agency, jurisdiction: input.jurisdiction });
    if (problem) throw badInput('input.certificateNumber', problem);
  } else if (roles.includes(OfficerRole.ENFORCEMENT_OFFICER)) {
    throw badInput('input.certificateNumber', 'is required for an ENFORCEMENT_OFFICER: enforcement officers hold an enforcement certificate (执法证)');
  }
  const phone = checkPhone(input.phone, 'input.phone');
  return { login, name, agency: input.agency, jurisdiction: input.jurisdiction, roles, certificateNumber, phone };
}

@Resolver(() => Officer)
export class OfficerMutations {
  @Mutation(() => Officer, { description: 'Adds an officer to the directory of the region named in the input.' })
  @Directive('@routeBy(argument: "input.region")')
  async registerOfficer(@Ctx() ctx: PersonnelContext, @Arg('input', () => RegisterOfficerInput) input: RegisterOfficerInput) {
    await actingOfficerId(ctx);
    const officer = checkOfficer(ctx.region, input);
    const row = await auditedChange(
      ctx,
      'registerOfficer',
      async (client) => {
        const inserted = await insertOfficer(client, officer).catch((error) => {
          // Two registrations of the same login at once: the pre-check of the loser saw nothing.
          if (isUniqueViolation(error))
            throw hubError('CONFLICT', 'input.login: this login or certificate number was registered at the same moment', { field: 'input.login' });
          throw error;
        });
        if ('taken' in inserted) {
          const field = inserted.taken === 'login' ? 'input.login' : 'input.certificateNumber';
          const existingId = toGlobalId(ctx.region, inserted.by);
          throw hubError('CONFLICT', `${field}: already held by officer ${existingId}`, { field, existingId });
        }
        return inserted;
      },
      (inserted) => auditRecord('Officer', toGlobalId(ctx.region, inserted.id)),
    );
    return toOfficer(ctx.region, row);
  }

  @Mutation(() => Officer, { description: 'Marks an officer as having left (false) or returned (true); the record and its history stay.' })
  @Directive('@routeBy(argument: "id")')
  async setOfficerActive(@Ctx() ctx: PersonnelContext, @Arg('id', () => ID) id: string, @Arg('active', () => Boolean) active: boolean) {
    await actingOfficerId(ctx);
    const localId = ownLocalId(ctx.region, id, 'id', 'officer');
    const row = await auditedChange(
      ctx,
      'setOfficerActive',
      async (client) => {
        const updated = await setOfficerActive(client, localId, active);
        if (updated) return updated;
        const [existing] = await findOfficers(client, [localId]);
        if (!existing) throw hubError('NOT_FOUND', `No officer ${id}`, { id });
        throw hubError('CONFLICT', `officer ${id} is already ${active ? 'active' : 'inactive'}`, { id, active });
      },
      () => auditRecord('Officer', toGlobalId(ctx.region, localId)),
    );
    return toOfficer(ctx.region, row);
  }
}
