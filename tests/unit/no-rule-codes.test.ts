import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The project's own rule numbers («D-17», «D-25») belong in comments, never in text a person
// reads: messages, banners, hints, contract descriptions. Every string literal, template
// part and JSX text of the three source trees is read; comments are not.

const root = join(import.meta.dirname, '..', '..');
const trees = ['src-main', 'src-shared', 'src-renderer'];
const ruleCode = /\bD-\d+/;

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function textsWithRuleCodes(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const hits: string[] = [];
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) text = node.text;
    else if (ts.isJsxText(node)) text = node.getText();
    if (text !== null && ruleCode.test(text)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      hits.push(`${path.slice(root.length + 1)}:${line + 1}: ${text.trim().slice(0, 120)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return hits;
}

describe('user-visible text', () => {
  it('carries no project rule codes (D-nn) in any string or JSX text', () => {
    const hits = trees.flatMap((tree) => sourceFiles(join(root, tree))).flatMap(textsWithRuleCodes);
    expect(hits).toEqual([]);
  }, 60_000);
});
