import { DatabaseHealth, type Database } from '@bedside/database';
import { SystemClock } from '@bedside/common';
import { testDatabaseEngines } from '@bedside/testing';
import { DeviceEventRepository } from '../../ingest/src/device-event.repository';
import { DeviceStateRepository } from '../../ingest/src/device-state.repository';
import { EnvDto } from '@bedside/config';
import { BedRepository } from './beds/bed.repository';
import { DeviceRepository } from './devices/device.repository';
import { issueSecret, verifySecret } from './devices/device-secret';
import { HouseholdRepository } from './households/household.repository';
import { OrganisationRepository } from './organisations/organisation.repository';
import { ResidentRepository } from './residents/resident.repository';

/** The same repository suite against embedded PGlite and a real PostgreSQL server. */
describe.each(testDatabaseEngines('registry'))('registry repositories on $name', (engine) => {
  let database: Database;
  let orgs: OrganisationRepository;
  let households: HouseholdRepository;
  let residents: ResidentRepository;
  let beds: BedRepository;
  let devices: DeviceRepository;

  beforeAll(async () => {
    database = await engine.open();
    orgs = new OrganisationRepository(database);
    households = new HouseholdRepository(database);
    residents = new ResidentRepository(database);
    beds = new BedRepository(database);
    devices = new DeviceRepository(database);
  }, 60_000);

  afterAll(async () => {
    await engine.close();
  });

  it('creates and reads the whole registry chain', async () => {
    const org = await orgs.create('Rizhao call centre');
    const hh = await households.create({
      organisationId: org.id,
      name: '张家',
      address: '日照市东港区 1 号',
      timeZone: 'Asia/Shanghai',
      contacts: [
        { name: 'B', phone: '+86 2', role: 'emergency', callOrder: 2 },
        { name: 'A', phone: '+86 1', role: 'keyholder', callOrder: 1 },
      ],
    });
    expect(hh.contacts.map((c) => c.name)).toEqual(['A', 'B']);
    const res = await residents.create({
      householdId: hh.id,
      name: '张秀兰',
      birthYear: 1941,
      conditions: ['COPD'],
      notes: null,
    });
    const bed = await beds.create({ householdId: hh.id, residentId: res.id, label: '卧室' });
    expect(await households.get(hh.id)).toEqual(hh);
    expect((await residents.get(res.id)).conditions).toEqual(['COPD']);
    expect(await beds.list(hh.id)).toEqual([bed]);
    expect((await households.update(hh.id, { timeZone: 'Europe/London' })).timeZone).toBe('Europe/London');
    await expect(
      households.create({
        organisationId: org.id,
        name: 'x',
        address: 'y',
        timeZone: 'UTC',
        contacts: [
          { name: 'a', phone: '1', role: 'keyholder', callOrder: 1 },
          { name: 'b', phone: '2', role: 'keyholder', callOrder: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('stores only a salted hash of a device secret, and revocation and rebinding stick', async () => {
    const org = await orgs.create('Zunyi');
    const hh = await households.create({
      organisationId: org.id,
      name: 'h',
      address: 'a',
      timeZone: 'Asia/Shanghai',
      contacts: [],
    });
    const bed = await beds.create({ householdId: hh.id, residentId: null, label: 'b' });
    const { secret, salt, hash } = issueSecret();
    await devices.insert({
      id: `button-${engine.name}`,
      organisationId: org.id,
      kind: 'button',
      serial: `S-${engine.name}`,
      model: 'B1',
      firmware: null,
      salt,
      hash,
      at: new Date(),
    });
    const identity = await devices.findIdentity(`button-${engine.name}`);
    expect(identity?.secretHash).not.toContain(secret);
    expect(verifySecret(secret, identity!.secretSalt, identity!.secretHash)).toBe(true);
    expect(verifySecret(secret + 'x', identity!.secretSalt, identity!.secretHash)).toBe(false);
    expect((await devices.setBed(`button-${engine.name}`, bed.id)).bedId).toBe(bed.id);
    await devices.revoke(`button-${engine.name}`, new Date());
    expect((await devices.findIdentity(`button-${engine.name}`))?.revoked).toBe(true);
    await expect(devices.get('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stores a device event once however often it is delivered, within and across batches', async () => {
    const org = await orgs.create('dup');
    const { salt, hash } = issueSecret();
    await devices.insert({
      id: `wearable-${engine.name}`,
      organisationId: org.id,
      kind: 'wearable',
      serial: `W-${engine.name}`,
      model: 'W',
      firmware: null,
      salt,
      hash,
      at: new Date(),
    });
    const env = Object.assign(new EnvDto(), { INGEST_COMMIT_DELAY_MS: 5, INGEST_COMMIT_MAX_BATCH: 100 });
    const events = new DeviceEventRepository(database, env);
    const e = {
      deviceId: `wearable-${engine.name}`,
      kind: 'wearable' as const,
      bedId: null,
      eventId: 'fall-1',
      type: 'fall.detected' as const,
      ts: Date.now(),
      receivedAt: Date.now(),
    };
    const before = Date.now();
    const first = await Promise.all([events.store(e), events.store(e), events.store({ ...e, eventId: 'fall-2' })]);
    // New ones resolve with the database's time of storing them (same machine here), repeats with null.
    expect(first).toEqual([expect.any(Number), null, expect.any(Number)]);
    for (const storedAt of [first[0]!, first[2]!]) expect(Math.abs(storedAt - before)).toBeLessThan(5_000);
    expect(await events.store(e)).toBeNull();
    const listed = await events.list(e.deviceId, new Date(0), new Date(Date.now() + 1000), 10);
    expect(listed.map((x) => x.eventId).sort()).toEqual(['fall-1', 'fall-2']);
  });

  it('batches last-seen and rejection counters', async () => {
    const org = await orgs.create('state');
    const { salt, hash } = issueSecret();
    const id = `mattress-${engine.name}`;
    await devices.insert({
      id,
      organisationId: org.id,
      kind: 'mattress',
      serial: `M-${engine.name}`,
      model: 'M',
      firmware: null,
      salt,
      hash,
      at: new Date(),
    });
    const state = new DeviceStateRepository(database, new DatabaseHealth(database, new SystemClock()), new EnvDto());
    const t = Date.UTC(2026, 0, 1);
    state.seen(id, t);
    state.rejected(id, 'INVALID_PAYLOAD', 'bad', t);
    state.rejected(id, 'INVALID_PAYLOAD', 'worse', t + 1);
    await state.flush();
    state.rejected(id, 'INVALID_PAYLOAD', 'again', t + 2);
    expect(await state.rejectionsOf(id)).toEqual([
      expect.objectContaining({ code: 'INVALID_PAYLOAD', count: 3, lastMessage: 'again' }),
    ]);
    expect((await devices.get(id)).status.lastSeenAt?.getTime()).toBe(t);
    await state.setStatus(id, { state: 'online', battery: 50, firmware: '1.0' }, t + 5);
    expect((await devices.get(id)).status).toEqual(
      expect.objectContaining({ online: true, battery: 50, firmware: '1.0' }),
    );
    state.batteryReported(id, 42.5);
    await state.flush();
    expect((await devices.get(id)).status.battery).toBe(42.5);
  });

  it("stores a connected device's last-seen instant at the resolution, and exactly at shutdown", async () => {
    const org = await orgs.create('seen');
    const { salt, hash } = issueSecret();
    const id = `wearable-seen-${engine.name}`;
    await devices.insert({
      id,
      organisationId: org.id,
      kind: 'wearable',
      serial: `W-seen-${engine.name}`,
      model: 'W',
      firmware: null,
      salt,
      hash,
      at: new Date(),
    });
    const step = 5000; // not the default: the configured resolution is the one applied
    const env = Object.assign(new EnvDto(), { DEVICE_LAST_SEEN_RESOLUTION_MS: step });
    const state = new DeviceStateRepository(database, new DatabaseHealth(database, new SystemClock()), env);
    const lastSeen = async () => (await devices.get(id)).status.lastSeenAt?.getTime();
    const t = Date.UTC(2026, 0, 2);
    state.seen(id, t);
    await state.flush();
    expect(await lastSeen()).toBe(t); // the first instant at once
    state.seen(id, t + step - 1);
    await state.flush();
    expect(await lastSeen()).toBe(t); // within the resolution: no row rewritten
    state.seen(id, t + step);
    await state.flush();
    expect(await lastSeen()).toBe(t + step);
    state.seen(id, t + step + 1000);
    await state.flush(true);
    expect(await lastSeen()).toBe(t + step + 1000); // shutdown: exact
  });
});
