// The one function of js-yaml (no bundled types) the packaging tests use.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
