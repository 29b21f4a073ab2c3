import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Access, OPEN } from '../shared/access';
import { AgencyKind } from '../shared/agency';
import { connectionOf } from '../shared/pagination';
import { OfficerRole } from './officer-role';

export { OfficerRole };

registerEnumType(OfficerRole, {
  name: 'OfficerRole',
  description: 'What an officer does in the hub; an officer may hold several.',
  valuesConfig: {
    PETITION_OFFICER: { description: '信访工作人员: registers and handles petitions, raises and acknowledges warnings.' },
    ENFORCEMENT_OFFICER: { description: '执法人员: takes part in joint inspections (综合查一次); holds an enforcement certificate.' },
    SUPERVISOR: { description: '负责人: leads the work of an agency in a jurisdiction.' },
    AUDITOR: { description: '审计员: reads the audit log of personal-data reads.' },
    AGREEMENT_ADMIN: { description: '协议管理员: maintains the data-sharing agreements with partner jurisdictions.' },
    DEVELOPER: {
      description:
        '开发者: builds apps on the hub; may send free-form operations where the gateway answers only trusted documents (HUB_TRUSTED_DOCUMENTS=require).',
    },
  },
});

@ObjectType({ description: 'An officer (工作人员) of a government agency, owned by the region of the agency.' })
@Directive('@key(fields: "id")')
@Access(OPEN) // officers act in the open
export class Officer {
  @Field(() => ID, { description: 'Global id: region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record.' })
  region!: string;

  @Field(() => String, { description: 'Sign-in name, unique in the region; demo logins are demo-<region>[-<what>].' })
  login!: string;

  @Field(() => String, { description: 'Full name (姓名).' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Enforcement certificate number (执法证号), ZF + issuing jurisdiction + agency + serial + check character; null for staff who do not enforce.',
  })
  certificateNumber!: string | null;

  @Field(() => AgencyKind)
  agency!: AgencyKind;

  @Field(() => String, { description: 'The agency in its jurisdiction, such as 嘉善县市场监督管理局.' })
  agencyName!: string;

  @Field(() => String, { description: 'Jurisdiction code the officer works in (city, county or street).' })
  jurisdiction!: string;

  @Field(() => String, { nullable: true, description: 'Name of that jurisdiction, such as 嘉善县.' })
  jurisdictionName!: string | null;

  @Field(() => [OfficerRole])
  roles!: OfficerRole[];

  @Field(() => String, { nullable: true, description: 'Work telephone.' })
  phone!: string | null;

  @Field(() => Boolean, { description: 'False once the officer has left; an inactive officer keeps their record and history.' })
  active!: boolean;

  @Field(() => Date, { description: 'When the record was created; the order of `officers`.' })
  createdAt!: Date;
}

export const OfficerConnection = connectionOf(Officer, 'Officer');
