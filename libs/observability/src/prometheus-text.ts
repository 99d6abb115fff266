/**
 * The value of the sample `name{labels…}` in a Prometheus text page (what `GET /metrics`
 * answers), whatever the order of the labels and whichever others it carries; undefined
 * when there is none. For tests and scripts that check a scrape.
 */
export const sampleValue = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  const line = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .find((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};
