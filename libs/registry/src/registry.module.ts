import { Module } from '@nestjs/common';
import { BedRepository } from './beds/bed.repository';
import { BedsController } from './beds/beds.controller';
import { DeviceRepository } from './devices/device.repository';
import { DevicesController } from './devices/devices.controller';
import { DevicesService } from './devices/devices.service';
import { HouseholdRepository } from './households/household.repository';
import { HouseholdsController } from './households/households.controller';
import { OrganisationRepository } from './organisations/organisation.repository';
import { OrganisationsController } from './organisations/organisations.controller';
import { ResidentRepository } from './residents/resident.repository';
import { ResidentsController } from './residents/residents.controller';
import { RegistryEvents } from './registry.events';

@Module({
  controllers: [OrganisationsController, HouseholdsController, ResidentsController, BedsController, DevicesController],
  providers: [
    OrganisationRepository,
    HouseholdRepository,
    ResidentRepository,
    BedRepository,
    DeviceRepository,
    DevicesService,
    RegistryEvents,
  ],
  exports: [
    OrganisationRepository,
    HouseholdRepository,
    ResidentRepository,
    BedRepository,
    DeviceRepository,
    DevicesService,
    RegistryEvents,
  ],
})
export class RegistryModule {}
