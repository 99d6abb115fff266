export const EVENT_STORE = Symbol('EVENT_STORE');
export const SQL_DATABASE = Symbol('SQL_DATABASE');
