export * from './Checkbox';
export * from './FormRow';
