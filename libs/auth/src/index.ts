export * from './public.decorator';
export * from './admin-auth.guard';
export * from './bootstrap-admin';
export * from './auth.module';
export * from './current-user.decorator';
