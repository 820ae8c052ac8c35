import { Injectable } from '@nestjs/common';
import { Clock, DomainError, conflict, shortToken } from '@bedside/common';
import { credentialsFor, type DeviceCredentials, type DeviceKind } from '@bedside/contracts';
import { BedRepository } from '../beds/bed.repository';
import { HouseholdRepository } from '../households/household.repository';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { RegistryEvents } from '../registry.events';
import { issueSecret } from './device-secret';
import { DeviceRepository, type Device } from './device.repository';

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly organisations: OrganisationRepository,
    private readonly beds: BedRepository,
    private readonly households: HouseholdRepository,
    private readonly events: RegistryEvents,
    private readonly clock: Clock,
  ) {}

  async provision(input: {
    organisationId: string;
    kind: DeviceKind;
    serial: string;
    model: string;
    firmware?: string;
    id?: string;
    bedId?: string;
  }): Promise<{ device: Device; credentials: DeviceCredentials }> {
    await this.organisations.get(input.organisationId);
    // Everything that can refuse the request is checked before the insert: a refused
    // provisioning leaves no device behind, with credentials nobody received.
    if (input.bedId) await this.checkSameOrganisation(input.organisationId, input.bedId, { bedId: input.bedId });
    if (await this.devices.serialExists(input.serial))
      throw conflict(`a device with serial ${input.serial} is already provisioned`, { serial: input.serial });
    const id = input.id ?? `${input.kind}-${shortToken(10)}`;
    if (await this.devices.idExists(id)) throw conflict(`device id ${id} is taken`, { id });
    const { secret, salt, hash } = issueSecret();
    let device = await this.devices.insert({
      id,
      organisationId: input.organisationId,
      kind: input.kind,
      serial: input.serial,
      model: input.model,
      firmware: input.firmware ?? null,
      salt,
      hash,
      at: new Date(this.clock.now()),
    });
    if (input.bedId) device = await this.bind(id, input.bedId);
    return { device, credentials: credentialsFor(id, secret) };
  }

  /** Issues a new secret; the old one stops working and a live session is dropped. */
  async rotate(id: string): Promise<{ device: Device; credentials: DeviceCredentials }> {
    const { secret, salt, hash } = issueSecret();
    await this.devices.setSecret(id, salt, hash, new Date(this.clock.now()));
    const device = await this.devices.get(id);
    this.events.deviceAccess$.next({
      deviceId: id,
      reason: 'credentials-rotated',
      fromBedId: device.bedId,
      toBedId: device.bedId,
    });
    return { device, credentials: credentialsFor(id, secret) };
  }

  async revoke(id: string): Promise<Device> {
    await this.devices.revoke(id, new Date(this.clock.now()));
    const device = await this.devices.get(id);
    this.events.deviceAccess$.next({ deviceId: id, reason: 'revoked', fromBedId: device.bedId, toBedId: null });
    return device;
  }

  async bind(id: string, bedId: string): Promise<Device> {
    const device = await this.devices.get(id);
    await this.checkSameOrganisation(device.organisationId, bedId, { deviceId: id, bedId });
    const bound = await this.devices.setBed(id, bedId);
    this.events.deviceAccess$.next({ deviceId: id, reason: 'rebound', fromBedId: device.bedId, toBedId: bedId });
    return bound;
  }

  private async checkSameOrganisation(
    organisationId: string,
    bedId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    const bed = await this.beds.get(bedId);
    const household = await this.households.get(bed.householdId);
    if (household.organisationId !== organisationId) {
      throw new DomainError('VALIDATION_FAILED', 'bedId: the device and the bed belong to different organisations', {
        field: 'bedId',
        ...details,
      });
    }
  }

  async unbind(id: string): Promise<Device> {
    const before = await this.devices.get(id);
    const d = await this.devices.setBed(id, null);
    this.events.deviceAccess$.next({ deviceId: id, reason: 'rebound', fromBedId: before.bedId, toBedId: null });
    return d;
  }
}
