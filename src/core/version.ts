// Kept in step with package.json (a unit test asserts it).
export const VERSION = '0.1.0';
