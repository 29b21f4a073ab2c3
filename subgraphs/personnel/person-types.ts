import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Access, OPEN } from '../shared/access';
import { PERSON_BASIC, PERSON_PERSONAL } from './person-access-rules';
import { connectionOf } from '../shared/pagination';
import { KeyPersonCategory } from './key-person-category';
import { Officer } from './officer-types';

export { KeyPersonCategory };

/**
 * A person's record as the home region keeps it. Every personal field holds the raw value:
 * the masking of the authorization work (partners see 330421********1234, 138****5678, 张*)
 * is decided per field and per caller, from these values, in this subgraph.
 */

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}
registerEnumType(Gender, { name: 'Gender', description: 'Sex as recorded in the resident id number (性别): an odd 17th digit is MALE.' });

registerEnumType(KeyPersonCategory, {
  name: 'KeyPersonCategory',
  description: 'Key-person categories (重点人员类别) that grid and petition work follows up. Sensitive personal data.',
  valuesConfig: {
    PETITION_KEY_PERSON: { description: '重点信访人员' },
    COMMUNITY_CORRECTION: { description: '社区矫正人员' },
    RELEASED_PRISONER: { description: '刑满释放人员' },
    SEVERE_MENTAL_DISORDER: { description: '严重精神障碍患者' },
    DRUG_REHABILITATION: { description: '社区戒毒社区康复人员' },
    ELDERLY_LIVING_ALONE: { description: '独居老人' },
    LEFT_BEHIND_CHILD: { description: '留守儿童' },
    LOW_INCOME: { description: '低保对象' },
  },
});

export enum PersonalDataAccess {
  FULL = 'FULL',
  MASKED = 'MASKED',
  NONE = 'NONE',
}
registerEnumType(PersonalDataAccess, { name: 'PersonalDataAccess', description: "How this record's personal data is shown to you." });

@ObjectType({ description: "What you may see of this person's record, and why." })
export class PersonDataAccess {
  @Field(() => PersonalDataAccess, { description: 'FULL, MASKED (张*, 330421********1234, 138****5678), or NONE (FORBIDDEN beyond id and region).' })
  personal!: PersonalDataAccess;

  @Field(() => Boolean, { description: 'True when your jurisdiction holds the record (owner-only fields are open to you).' })
  owner!: boolean;

  @Field(() => String, { description: 'The reason, for you to act on (state a purpose, ask for an agreement).' })
  reason!: string;
}

export enum TagAction {
  TAGGED = 'TAGGED',
  UNTAGGED = 'UNTAGGED',
}
registerEnumType(TagAction, { name: 'TagAction', description: 'A category given to or taken from a person.' });

@ObjectType({ description: 'A key-person category a person holds now, and who gave it when.' })
export class PersonTag {
  @Field(() => KeyPersonCategory)
  category!: KeyPersonCategory;

  @Field(() => Date)
  taggedAt!: Date;

  @Field(() => Officer, { nullable: true, description: 'The officer who gave it.' })
  taggedBy!: Officer | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  /** Local id of the tagging officer, resolved to `taggedBy` by a loader. */
  taggedByLocalId!: string | null;
}

@ObjectType({ description: "One change of a person's categories, kept after the category is removed." })
export class PersonTagEvent {
  @Field(() => KeyPersonCategory)
  category!: KeyPersonCategory;

  @Field(() => TagAction)
  action!: TagAction;

  @Field(() => Officer, { nullable: true })
  officer!: Officer | null;

  @Field(() => String, { nullable: true, description: "Why, in the officer's words." })
  note!: string | null;

  @Field(() => Date)
  at!: Date;

  officerLocalId!: string | null;
}

@ObjectType({ description: 'A change of household registration between regions (户籍迁移): the record moved from, the one it became, and why.' })
export class PersonMove {
  @Field(() => ID, { description: 'The record in the old home region, closed by the move.' })
  from!: string;

  @Field(() => ID, { description: 'The record in the new home region.' })
  to!: string;

  @Field(() => String, { description: 'The home jurisdiction before the move.' })
  fromJurisdiction!: string;

  @Field(() => String, { description: 'The home jurisdiction after it.' })
  toJurisdiction!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true, description: "Why, in the officer's words (such as 投靠子女迁入)." })
  note!: string | null;
}

@ObjectType({ description: 'A person, owned by the region of their household registration (户籍地).' })
@Directive('@key(fields: "id")')
@Access(PERSON_BASIC) // every field that names no rule of its own
export class Person {
  @Field(() => ID, { description: 'Global id: home region code, colon, local id.' })
  id!: string;

  @Field(() => String, { description: 'Code of the region that owns this record (the home region).' })
  @Access(OPEN)
  region!: string;

  @Field(() => String, { nullable: true, description: 'Full name (姓名). Personal data: masked (张*) without full access, FORBIDDEN without an agreement.' })
  @Access(PERSON_PERSONAL)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Resident identity number (公民身份号码, GB 11643), 18 characters. Personal data: masked (330421********1234) without full access.',
  })
  @Access(PERSON_PERSONAL)
  idNumber!: string;

  @Field(() => Gender, { nullable: true, description: 'Derived from the resident id number (17th digit). Basic data: partners with an agreement see it.' })
  @Access(PERSON_BASIC)
  gender!: Gender;

  @Field(() => String, {
    nullable: true,
    description: 'Birth date (出生日期), YYYY-MM-DD, derived from the resident id number. Personal data: masked to the year (1990-**-**).',
  })
  @Access(PERSON_PERSONAL)
  birthDate!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Telephone (联系电话): a mobile number such as 13812345678 or a landline such as 0573-82345678. Personal data: masked (138****5678).',
  })
  @Access(PERSON_PERSONAL)
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Residential address (住址). Personal data: masked down to the county.' })
  @Access(PERSON_PERSONAL)
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'County-level (or street-level) jurisdiction of household registration (户籍所在地). Basic data.' })
  @Access(PERSON_BASIC)
  homeJurisdiction!: string;

  @Field(() => String, { nullable: true, description: "Name of the home jurisdiction's county, such as 嘉善县." })
  homeJurisdictionName!: string | null;

  @Field(() => Date, { description: 'When the record was registered in the hub; the order of `persons`.' })
  @Access(OPEN)
  registeredAt!: Date;

  @Field(() => ID, {
    nullable: true,
    description:
      'After a change of household registration to another region (户籍迁出): the record there, which carries the person on. This record is closed and keeps its history.',
  })
  @Access(PERSON_BASIC)
  movedTo!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the record was moved to another region.' })
  @Access(PERSON_BASIC)
  movedAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'For a person moved here from another region (户籍迁入): the record there, with the history before the move.',
  })
  @Access(PERSON_BASIC)
  movedFrom!: string | null;

  /** Local ids, for the loaders behind `tags`, `tagHistory` and `registeredBy`. */
  localId!: string;
  registeredByLocalId!: string | null;
}

export const PersonConnection = connectionOf(Person, 'Person');
