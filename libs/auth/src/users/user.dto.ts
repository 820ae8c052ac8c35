import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Role } from '../current-user.decorator';

export const ROLE_NAMES: Role[] = ['admin', 'supervisor', 'operator', 'installer'];

export class CreateUserDto {
  @ApiProperty({ example: 'operator1' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'username must be 3-64 characters of A-Z a-z 0-9 . _ -' })
  username!: string;

  @ApiProperty({ minLength: 10 }) @IsString() @Length(10, 200)
  password!: string;

  @ApiProperty({ example: '张敏' }) @IsString() @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: ROLE_NAMES }) @IsIn(ROLE_NAMES)
  role!: Role;

  @ApiPropertyOptional({ description: 'required unless a platform admin is created' }) @IsOptional() @IsUUID()
  organisationId?: string;
}
