import { Field, InputType } from 'type-graphql';
import { diagnoseResidentId } from '../../auth/resident-id';
import { badInput, hubError } from '../shared/errors';
import { jurisdictionProblem } from '../shared/jurisdictions';
import { KeyPersonCategory } from './person-types';
import type { NewPerson } from './person-repository';
import { normalisePhone } from './phone';

@InputType({ description: 'A person to register in their home region (户籍登记).' })
export class RegisterPersonInput {
  @Field(() => String, { description: 'The home region, which will own the record.' })
  region!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Resident identity number, 18 characters; a final lower-case x is read as X.' })
  idNumber!: string;

  @Field(() => String, { nullable: true, description: 'Mobile (13812345678) or landline with area code (0573-82345678).' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { description: 'County (or street) code of household registration, inside the region.' })
  homeJurisdiction!: string;

  @Field(() => [KeyPersonCategory], { nullable: true, description: 'Key-person categories to give at once.' })
  categories?: KeyPersonCategory[] | null;

  @Field(() => String, { nullable: true, description: 'Why the categories are given.' })
  note?: string | null;
}

// Letters of any script, combining marks, and the separators of transcribed names (阿依古丽·买买提).
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}·・.\- ]*$/u;

export function checkName(value: string, field: string): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (!name) throw badInput(field, 'must not be empty');
  if ([...name].length > 64) throw badInput(field, `must be at most 64 characters, but has ${[...name].length}`);
  if (!NAME.test(name)) throw badInput(field, 'may hold letters, spaces and the separators · . - only');
  return name;
}

/** The stored form of an optional phone (see phone.ts), or a BAD_USER_INPUT naming `field`. */
export function checkPhone(value: string | null | undefined, field: string): string | null {
  if (!value?.trim()) return null;
  const checked = normalisePhone(value);
  if ('problem' in checked) throw badInput(field, checked.problem);
  return checked.phone;
}

export function checkNote(value: string | null | undefined, field: string): string | null {
  const note = value?.trim();
  if (!note) return null;
  if (note.length > 500) throw badInput(field, `must be at most 500 characters, but has ${note.length}`);
  return note;
}

/**
 * The id number as stored (trimmed; a final x, as people type it, upper-cased), or a
 * BAD_USER_INPUT naming `field` and, in `extensions.defect`, the part that is wrong.
 */
export function checkIdNumber(value: string, field: string): string {
  const idNumber = value.trim().replace(/x$/, 'X');
  const diagnosis = diagnoseResidentId(idNumber);
  if (diagnosis) throw hubError('BAD_USER_INPUT', `${field}: ${diagnosis.message}`, { field, defect: diagnosis.defect });
  return idNumber;
}

/**
 * The registration as it will be stored, or a BAD_USER_INPUT naming the first wrong field
 * (`input.idNumber`, …) and what is wrong with it. Checked before anything is written.
 */
export function checkRegistration(
  region: string,
  input: RegisterPersonInput,
): Omit<NewPerson, 'registeredBy'> & { categories: KeyPersonCategory[]; note: string | null } {
  if (input.region !== region) throw badInput('input.region', `this instance serves region ${region}, not ${JSON.stringify(input.region)}`);
  const name = checkName(input.name, 'input.name');
  const idNumber = checkIdNumber(input.idNumber, 'input.idNumber');
  const phone = checkPhone(input.phone, 'input.phone');
  const address = input.address?.trim() || null;
  if (address && [...address].length > 200) throw badInput('input.address', `must be at most 200 characters, but has ${[...address].length}`);
  const homeProblem = jurisdictionProblem(region, input.homeJurisdiction, { cityLevel: false });
  if (homeProblem) throw badInput('input.homeJurisdiction', homeProblem);
  return {
    name,
    idNumber,
    phone,
    address,
    homeJurisdiction: input.homeJurisdiction,
    categories: [...new Set(input.categories ?? [])],
    note: checkNote(input.note, 'input.note'),
  };
}
