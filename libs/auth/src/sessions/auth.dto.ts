import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UserDto } from '../users/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'operator1' })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  password!: string;
}

/** A new session: the bearer token, when it expires, and whose it is. */
export class LoginResultDto {
  @ApiProperty({ description: 'send as `Authorization: Bearer <token>`' }) token!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}
