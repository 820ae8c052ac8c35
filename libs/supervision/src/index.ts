export * from './supervision.module';
export * from './visits/domain/visit';
export * from './visits/domain/visit-planner';
export * from './visits/domain/visit-state-machine';
export * from './visits/domain/overdue';
