import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

/** A device's access or binding changed: a live session may have to be dropped or refreshed. */
export interface DeviceAccessChange {
  deviceId: string;
  reason: 'revoked' | 'credentials-rotated' | 'rebound';
  /** The bed it was bound to before the change, and after (null: none). */
  fromBedId: string | null;
  toBedId: string | null;
}

/** Registry -> broker and rules: changes other modules keep derived state for. */
@Injectable()
export class RegistryEvents {
  readonly deviceAccess$ = new Subject<DeviceAccessChange>();
  /** A household's time zone or details changed: its beds' effective rules must be recomputed. */
  readonly householdUpdated$ = new Subject<{ householdId: string }>();
}
