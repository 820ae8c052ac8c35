import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'bedside:public';
/** Marks a route that needs no login (health, metrics, the OpenAPI document). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
