import type { Projection } from '@app/projections';
import { caseSummariesProjection } from '@app/projections';

/** Every read model of the system; the API and the worker register the same list. */
export const ALL_PROJECTIONS: readonly Projection[] = [caseSummariesProjection as Projection];
