import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { AtLeastOneField, IsOptionalNonNull } from '@bedside/common';
import { StrictValidationPipe } from './strict-validation.pipe';

class CreateThing {
  @IsString() @Length(1, 10) name!: string;
  @IsOptional() @IsString() note?: string;
}

@AtLeastOneField()
class UpdateThing extends PartialType(CreateThing, { skipNullProperties: false }) {}

class CreateWithDefault {
  @IsOptionalNonNull() @IsString() timeZone?: string;
}

const pipe = new StrictValidationPipe();
const body = (metatype: new () => unknown, value: unknown) => pipe.transform(value, { type: 'body', metatype });
const messages = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => {
        throw new Error('accepted');
      },
      (e: BadRequestException) => e.getResponse(),
    )) as { message: string[] }
  ).message;

describe('StrictValidationPipe', () => {
  it('refuses an empty partial update, listing the fields it may set', async () => {
    expect(await messages(body(UpdateThing, {}))).toEqual(['body must set at least one of: name, note']);
    expect(await messages(body(UpdateThing, undefined))).toEqual(['body must set at least one of: name, note']);
  });

  it('refuses null in a partial update, naming the field', async () => {
    expect((await messages(body(UpdateThing, { name: null }))).join()).toMatch(/^name must/);
  });

  it('accepts a partial update and refuses unknown properties', async () => {
    await expect(body(UpdateThing, { note: 'x' })).resolves.toEqual(expect.objectContaining({ note: 'x' }));
    expect(await messages(body(UpdateThing, { note: 'x', admin: true }))).toEqual(['property admin should not exist']);
  });

  it('lets an optional property be absent but not null where it is declared IsOptionalNonNull', async () => {
    await expect(body(CreateWithDefault, {})).resolves.toBeInstanceOf(CreateWithDefault);
    expect(await messages(body(CreateWithDefault, { timeZone: null }))).toEqual(['timeZone must be a string']);
  });
});
