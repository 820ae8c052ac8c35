import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DEVICE_ID_PATTERN, DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';

export class ProvisionDeviceDto {
  @ApiProperty()
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ enum: DEVICE_KINDS })
  @IsIn(DEVICE_KINDS)
  kind!: DeviceKind;

  @ApiProperty({ example: 'SLP-M800-2409-000123', description: 'manufacturer serial number, unique' })
  @IsString()
  @Length(1, 100)
  serial!: string;

  @ApiProperty({ example: 'M800' })
  @IsString()
  @Length(1, 100)
  model!: string;

  @ApiPropertyOptional({ example: '2.4.1' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  firmware?: string;

  @ApiPropertyOptional({
    description: 'device id to use as MQTT username/clientId; generated when absent',
    example: 'mattress-7f3k2q9xab',
  })
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, {
    message: 'id must be 3-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit',
  })
  id?: string;

  @ApiPropertyOptional({ description: 'bind to this bed right away' })
  @IsOptional()
  @IsUUID()
  bedId?: string;
}

export class BindDeviceDto {
  @ApiProperty()
  @IsUUID()
  bedId!: string;
}
