import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The wall clock for the running hub; tests override `Clock` with a fake. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
