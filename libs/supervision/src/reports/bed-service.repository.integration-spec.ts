import type { Database } from '@bedside/database';
import { testDatabaseEngines } from '@bedside/testing';
import { BedRepository } from '../../../registry/src/beds/bed.repository';
import { DeviceRepository } from '../../../registry/src/devices/device.repository';
import { HouseholdRepository } from '../../../registry/src/households/household.repository';
import { OrganisationRepository } from '../../../registry/src/organisations/organisation.repository';
import { ResidentRepository } from '../../../registry/src/residents/resident.repository';
import { BedServiceRepository } from './bed-service.repository';

/** Periods in service on embedded PGlite and a real PostgreSQL server. */
describe.each(testDatabaseEngines('bed-service'))('bed service periods on $name', (engine) => {
  let database: Database;
  let periods: BedServiceRepository;
  const T = Date.parse('2026-11-10T00:00:00Z');
  const H = 3_600_000;

  beforeAll(async () => {
    database = await engine.open();
    periods = new BedServiceRepository(database);
  }, 60_000);

  afterAll(async () => {
    await engine.close();
  });

  async function bedWithDevice(label: string) {
    const org = await new OrganisationRepository(database).create(`${label} centre`);
    const hh = await new HouseholdRepository(database).create({
      organisationId: org.id,
      name: label,
      address: '1 Road',
      timeZone: 'Asia/Shanghai',
      contacts: [],
    });
    const res = await new ResidentRepository(database).create({
      householdId: hh.id,
      name: label,
      birthYear: 1940,
      conditions: [],
      notes: null,
    });
    const beds = new BedRepository(database);
    const bed = await beds.create({ householdId: hh.id, residentId: res.id, label });
    const devices = new DeviceRepository(database);
    const device = await devices.insert({
      id: `dev-${label}-${Math.random().toString(36).slice(2, 8)}`,
      organisationId: org.id,
      kind: 'mattress',
      serial: `serial-${label}-${Math.random().toString(36).slice(2)}`,
      model: 'T1',
      firmware: null,
      salt: 's',
      hash: 'h',
      at: new Date(T - 10 * H),
    });
    await devices.setBed(device.id, bed.id);
    return { org, bed, res, beds, devices, device };
  }

  it('opens a period when a bed comes into service and closes it when it leaves, once each', async () => {
    const x = await bedWithDevice('a');
    await periods.reconcile(T);
    expect(await periods.overlapping(x.org.id, T - H, T + H)).toEqual([{ bedId: x.bed.id, from: T, to: null }]);
    // Nothing changed: nothing opened or closed.
    expect(await periods.reconcile(T + H)).toEqual({ opened: 0, closed: 0 });

    await x.devices.revoke(x.device.id, new Date(T + 2 * H));
    await periods.reconcile(T + 3 * H);
    expect(await periods.overlapping(x.org.id, T - H, T + 10 * H)).toEqual([
      { bedId: x.bed.id, from: T, to: T + 3 * H },
    ]);
    // Outside the range: not listed.
    expect(await periods.overlapping(x.org.id, T + 3 * H, T + 10 * H)).toEqual([]);
    expect(await periods.overlapping(x.org.id, T - 5 * H, T)).toEqual([]);
  });

  it('a resident moving out ends the period, moving back starts another; two passes at once open one', async () => {
    const x = await bedWithDevice('b');
    await periods.reconcile(T);
    await x.beds.assignResident(x.bed.id, null);
    await periods.reconcile(T + H);
    await x.beds.assignResident(x.bed.id, x.res.id);
    await Promise.all([periods.reconcile(T + 2 * H), periods.reconcile(T + 2 * H)]);
    expect(await periods.overlapping(x.org.id, T - H, T + 5 * H)).toEqual([
      { bedId: x.bed.id, from: T, to: T + H },
      { bedId: x.bed.id, from: T + 2 * H, to: null },
    ]);
  });
});
