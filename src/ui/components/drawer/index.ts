export * from './EventDrawer';
