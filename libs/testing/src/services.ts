/**
 * Suites that need a real service (PostgreSQL, Kafka) read its address from the
 * environment. With `REQUIRE_SERVICES=1` (CI) a missing variable is a failure; without it
 * the suite is skipped and one line says which variable to set.
 */
const announced = new Set<string>();

export const serviceEnv = (variable: string): string | undefined => {
  const value = process.env[variable]?.trim();
  return value ? value : undefined;
};

export const servicesRequired = (): boolean => process.env.REQUIRE_SERVICES === '1';

/**
 * `describe` for a suite that needs something of the machine (a service's address, a
 * browser). Present: the suite runs. Absent and required (`REQUIRE_SERVICES=1`): the suite
 * fails with `failure`. Absent: skipped, with one line (`skipLine`, once per suite name).
 */
export const describeWithPrerequisite = (
  name: string,
  prerequisite: { present: boolean; test: string; failure: string; skipLine: string },
  body: () => void,
): void => {
  if (prerequisite.present) {
    describe(name, body);
    return;
  }
  if (servicesRequired()) {
    describe(name, () => {
      it(prerequisite.test, () => {
        throw new Error(prerequisite.failure);
      });
    });
    return;
  }
  if (!announced.has(name)) {
    announced.add(name);
    process.stderr.write(`${prerequisite.skipLine}\n`);
  }
  const skipped = describe.skip;
  skipped(name, body);
};

/**
 * `describe` for a suite that needs the service at `variable`.
 * Present: the suite runs. Absent and required: the suite fails. Absent: skipped, with one line.
 */
export const describeWithService = (
  variable: string,
  service: string,
  name: string,
  body: (address: string) => void,
): void => {
  const address = serviceEnv(variable);
  describeWithPrerequisite(
    name,
    {
      present: address !== undefined,
      test: `needs ${service}: set ${variable}`,
      failure: `REQUIRE_SERVICES=1 but ${variable} is not set: ${service} is required for "${name}"`,
      skipLine: `skipped "${name}": set ${variable} to run it against ${service}`,
    },
    () => body(address ?? ''),
  );
};
