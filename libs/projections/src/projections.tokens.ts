/** The {@link ProjectionRegistry} of the application: every runner, by projection name. */
export const PROJECTIONS = Symbol('PROJECTIONS');
