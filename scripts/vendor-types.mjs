// Makes the published type declarations self-contained. The package has no `dependencies`, so a
// declaration may import only other declarations in the tarball: the protobuf-es types that the
// generated messages use (`@bufbuild/protobuf`, Apache-2.0, bundled into dist/ as code too) are
// copied into `<types>/vendor/@bufbuild/protobuf/` and the bare imports rewritten to relative
// ones. Any other bare import (undici, zod, the MCP SDK, node:*) fails the build, naming the file.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const VENDORED = '@bufbuild/protobuf';
const IMPORT = /((?:from|import)\s*\(?\s*)(['"])([^'"]+)\2/g;
const COMMENT = /^\s*(\/\*|\*|\/\/)/;

/** `text` with `fn` applied to the imports of its code lines (doc comments hold examples). */
function mapImports(text, fn) {
  return text
    .split('\n')
    .map((line) => (COMMENT.test(line) ? line : line.replace(IMPORT, fn)))
    .join('\n');
}

/** The import specifiers of the code lines of `text`. */
function importsOf(text) {
  const specs = [];
  mapImports(text, (all, _head, _q, spec) => {
    specs.push(spec);
    return all;
  });
  return specs;
}

function dtsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'vendor' ? [] : dtsFiles(p);
    return p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The `.d.ts` file a package subpath's ESM `types` condition names. */
function packageTypes(spec) {
  const root = resolve('node_modules', VENDORED);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const sub = `.${spec.slice(VENDORED.length)}`;
  const types = pkg.exports?.[sub]?.import?.types;
  if (!types) throw new Error(`vendor-types: ${spec} has no ESM types in ${VENDORED}'s exports`);
  return { root, file: resolve(root, types) };
}

const toImport = (from, to) => {
  const rel = relative(dirname(from), to)
    .split(sep)
    .join('/')
    .replace(/\.d\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
};

export function vendorTypes(typesDir) {
  const vendorRoot = resolve(typesDir, 'vendor', VENDORED);
  const queue = [];
  let pkgRoot;
  const vendoredPath = (file) => join(vendorRoot, relative(pkgRoot, file));
  for (const file of dtsFiles(typesDir)) {
    const text = readFileSync(file, 'utf8');
    const out = mapImports(text, (all, head, q, spec) => {
      if (spec.startsWith('.')) return all;
      if (spec !== VENDORED && !spec.startsWith(`${VENDORED}/`)) {
        throw new Error(
          `vendor-types: ${relative(typesDir, file)} imports '${spec}', which is not installed ` +
            'with the package: declare the type in our sources instead',
        );
      }
      const t = packageTypes(spec);
      pkgRoot = t.root;
      queue.push(t.file);
      return `${head}${q}${toImport(file, vendoredPath(t.file))}${q}`;
    });
    if (out !== text) writeFileSync(file, out);
  }
  // Copy every declaration the vendored entry points reach (they import each other relatively).
  const seen = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) {
        throw new Error(`vendor-types: ${file} imports '${spec}'`);
      }
      queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.d.ts')));
    }
    mkdirSync(dirname(vendoredPath(file)), { recursive: true });
    copyFileSync(file, vendoredPath(file));
  }
  if (pkgRoot) {
    const license = readdirSync(pkgRoot).find((f) => /^licen[cs]e/i.test(f));
    if (license) copyFileSync(join(pkgRoot, license), join(vendorRoot, license));
  }
}
