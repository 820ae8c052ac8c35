import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import type { Role } from '../current-user.decorator';
import type { User } from './user.repository';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

export const ROLE_NAMES: Role[] = ['admin', 'supervisor', 'operator', 'installer'];

export class CreateUserDto {
  @ApiProperty({ example: 'operator1' })
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'username must be 3-64 characters of A-Z a-z 0-9 . _ -' })
  username!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, description: 'checked against the password policy' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ example: '张敏' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: ROLE_NAMES })
  @IsIn(ROLE_NAMES)
  role!: Role;

  @ApiPropertyOptional({ description: 'required unless a platform admin is created' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

/** A change to a user; at least one field. */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: '张敏' })
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLE_NAMES })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(ROLE_NAMES)
  role?: Role;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangeOwnPasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

/** A user account as the hub answers it (never its password). */
export class UserDto implements User {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: a platform administrator' })
  organisationId!: string | null;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLE_NAMES }) role!: Role;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}
