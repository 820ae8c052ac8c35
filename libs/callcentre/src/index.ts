export * from './callcentre.module';
export * from './webhooks/webhook-signature';
export * from './dispatch/dispatch.repository';
