// What a database address is, without loading a driver: the CLI's argument checks and
// the PC settings need it before (or without) opening anything.

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

export function describeLocation(url: string): string {
  if (!isPostgresUrl(url)) return url;
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
