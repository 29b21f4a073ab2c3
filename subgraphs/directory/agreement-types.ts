import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { SHARING_CATEGORIES } from '../../auth/sharing';
import { connectionOf } from '../shared/pagination';
import { Jurisdiction } from './types';

export const SharingCategory = Object.fromEntries(SHARING_CATEGORIES.map((c) => [c, c])) as { [K in (typeof SHARING_CATEGORIES)[number]]: K };
export type SharingCategory = (typeof SHARING_CATEGORIES)[number];
registerEnumType(SharingCategory, {
  name: 'SharingCategory',
  description:
    'Data a sharing agreement opens: PETITION_WARNINGS (信访预警), PETITION_DETAILS (信访件内容), INSPECTIONS (联合执法), PERSON_BASIC (人员基本信息), PERSON_PERSONAL (个人敏感信息: ID number, phone, address).',
});

export const SharingAgreementStatus = { PROPOSED: 'PROPOSED', SCHEDULED: 'SCHEDULED', ACTIVE: 'ACTIVE', REVOKED: 'REVOKED', EXPIRED: 'EXPIRED' } as const;
export type SharingAgreementStatus = keyof typeof SharingAgreementStatus;
registerEnumType(SharingAgreementStatus, {
  name: 'SharingAgreementStatus',
  description: 'Where an agreement stands.',
  valuesConfig: {
    PROPOSED: { description: "Awaiting the other party's signature (`awaitingSignatureOf`); opens nothing yet." },
    SCHEDULED: { description: 'Signed by both parties; takes effect at `validFrom`.' },
    ACTIVE: { description: 'In force: signed by both parties, begun, not expired, not revoked.' },
    REVOKED: { description: 'Revoked by one of the parties (as a proposal or in force); opens nothing.' },
    EXPIRED: { description: 'Past `validUntil`; opens nothing.' },
  },
});

/** An officer, owned by the personnel subgraph of the officer's region. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Officer {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: "What a sharing agreement opens to a jurisdiction: one category of one jurisdiction's data." })
export class SharingGrant {
  @Field(() => SharingCategory)
  category!: SharingCategory;

  @Field(() => String, { description: "Jurisdiction whose records are opened (its code nests the records' jurisdictions)." })
  owner!: string;
}

@ObjectType({ description: "One party's signature of an agreement." })
export class SharingSignature {
  @Field(() => String, { description: 'The party (jurisdiction code) signed for.' })
  party!: string;

  @Field(() => Officer, { nullable: true, description: "The agreements administrator who signed (null for the demo seed's agreements)." })
  signedBy!: Officer | null;

  @Field(() => Date)
  signedAt!: Date;
}

@ObjectType({
  description:
    'A data sharing agreement (数据共享协议) between two jurisdictions. It takes effect only when both parties have signed, each by an agreements administrator of its own.',
})
export class SharingAgreement {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Jurisdiction whose data is opened.' })
  providerCode!: string;

  @Field(() => String, { description: 'Jurisdiction whose officers may read it.' })
  recipientCode!: string;

  @Field(() => Boolean, { description: 'True when the recipient opens the same categories to the provider.' })
  mutual!: boolean;

  @Field(() => [SharingCategory])
  categories!: SharingCategory[];

  @Field(() => Date)
  validFrom!: Date;

  @Field(() => Date)
  validUntil!: Date;

  @Field(() => Officer, { nullable: true })
  createdBy!: Officer | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Officer, { nullable: true })
  revokedBy!: Officer | null;

  @Field(() => String, { nullable: true })
  revocationReason!: string | null;

  @Field(() => SharingAgreementStatus)
  status!: SharingAgreementStatus;

  @Field(() => Boolean, { description: 'In force now (status ACTIVE): signed by both parties, begun, not expired, not revoked.' })
  active!: boolean;

  @Field(() => [SharingSignature], { description: 'Who signed for each party and when, provider first.' })
  signatures!: SharingSignature[];

  @Field(() => [String], { description: 'Parties (jurisdiction codes) whose signature it still needs before it takes effect; empty once signed.' })
  awaitingSignatureOf!: string[];

  provider?: Jurisdiction;
}

export const SharingAgreementConnection = connectionOf(SharingAgreement, 'SharingAgreement');

@ObjectType({ description: 'Who the hub takes you for in this request, and what agreements open to you: what the field rules decide from.' })
export class Caller {
  @Field(() => ID, { description: 'Your officer id (or a hub service).' })
  id!: string;

  @Field(() => String)
  jurisdiction!: string;

  @Field(() => String, { nullable: true })
  agency!: string | null;

  @Field(() => [String])
  roles!: string[];

  @Field(() => String, { nullable: true, description: 'The purpose you stated (X-Purpose header).' })
  purpose!: string | null;

  @Field(() => [SharingGrant], { description: "Categories of other jurisdictions' data that agreements open to your jurisdiction now." })
  grants!: SharingGrant[];
}

@InputType({ description: 'A new sharing agreement.' })
export class CreateSharingAgreementInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Jurisdiction (6-digit code) whose data is opened.' })
  provider!: string;

  @Field(() => String, { description: 'Jurisdiction (6-digit code) whose officers may read it.' })
  recipient!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Open the same categories the other way too.' })
  mutual!: boolean;

  @Field(() => [SharingCategory])
  categories!: SharingCategory[];

  @Field(() => Date, { nullable: true, description: 'From when; now when omitted.' })
  validFrom?: Date;

  @Field(() => Date)
  validUntil!: Date;
}
