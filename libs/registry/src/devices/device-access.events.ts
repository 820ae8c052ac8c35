import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

export interface DeviceAccessChange {
  deviceId: string;
  reason: 'revoked' | 'credentials-rotated' | 'rebound';
}

/** Registry -> broker: a live session must be dropped or refreshed. */
@Injectable()
export class DeviceAccessEvents {
  readonly changes$ = new Subject<DeviceAccessChange>();

  emit(change: DeviceAccessChange): void {
    this.changes$.next(change);
  }
}
