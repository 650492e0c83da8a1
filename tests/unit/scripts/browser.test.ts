import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureBrowser,
  findBrowserOn,
  installSteps,
  NO_BROWSER,
  runsBrowserProject,
  type InstallStep,
  type Machine,
} from '../../../scripts/browser';

/** A machine whose executables are `files`; directories are whatever those paths imply. */
function machine(files: string[], env: Record<string, string> = {}, isRoot = false): Machine {
  const executables = new Set(files);
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env },
    homedir: '/home/dev',
    isRoot,
    isExecutable: (file) => executables.has(file),
    list: (dir) => [
      ...new Set(files.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0])),
    ],
  };
}

const cache = '/home/dev/.cache/ms-playwright';

describe('findBrowserOn', () => {
  it('takes CHROMIUM_PATH first', () => {
    expect(
      findBrowserOn(machine(['/opt/chrome/chrome', '/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/chrome/chrome' })),
    ).toBe('/opt/chrome/chrome');
  });

  it('fails on a CHROMIUM_PATH that is not an executable file, rather than use another browser', () => {
    expect(() => findBrowserOn(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/nowhere/chrome' }))).toThrow(
      /^CHROMIUM_PATH=\/nowhere\/chrome is not an executable file/,
    );
  });

  it('looks for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, in that order', () => {
    const all = [
      '/bin/google-chrome-stable',
      '/usr/bin/google-chrome',
      '/usr/local/bin/chromium-browser',
      '/bin/chromium',
    ];
    expect(findBrowserOn(machine(all))).toBe('/bin/chromium');
    expect(findBrowserOn(machine(all.slice(0, 3)))).toBe('/usr/local/bin/chromium-browser');
    expect(findBrowserOn(machine(all.slice(0, 2)))).toBe('/usr/bin/google-chrome');
    expect(findBrowserOn(machine(all.slice(0, 1)))).toBe('/bin/google-chrome-stable');
  });

  it('takes the first PATH directory that has the name', () => {
    expect(findBrowserOn(machine(['/usr/bin/chromium', '/usr/local/bin/chromium']))).toBe('/usr/local/bin/chromium');
    expect(
      findBrowserOn(machine(['/usr/bin/chromium', '/usr/local/bin/chromium'], { PATH: '/usr/bin:/usr/local/bin' })),
    ).toBe('/usr/bin/chromium');
  });

  it('prefers PATH to Playwright cache', () => {
    expect(findBrowserOn(machine([`${cache}/chromium-1194/chrome-linux/chrome`, '/usr/bin/google-chrome']))).toBe(
      '/usr/bin/google-chrome',
    );
  });

  it("falls back to the newest Chromium in Playwright's cache, full browser or headless shell", () => {
    const older = `${cache}/chromium-1181/chrome-linux/chrome`;
    const newer = `${cache}/chromium-1194/chrome-linux/chrome`;
    const shell = `${cache}/chromium_headless_shell-1200/chrome-linux/headless_shell`;
    const tipOfTree = `${cache}/chromium-tip-of-tree-1400/chrome-linux/chrome`;
    expect(findBrowserOn(machine([older, newer, tipOfTree]))).toBe(newer);
    expect(findBrowserOn(machine([older, newer, shell]))).toBe(shell);
    // Same revision: the full browser.
    expect(findBrowserOn(machine([`${cache}/chromium_headless_shell-1194/chrome-linux/headless_shell`, newer]))).toBe(
      newer,
    );
    expect(findBrowserOn(machine([`${cache}/chromium-1194/chrome-linux64/chrome`]))).toBe(
      `${cache}/chromium-1194/chrome-linux64/chrome`,
    );
  });

  it('skips a cache entry without its executable (an interrupted download)', () => {
    expect(
      findBrowserOn(
        machine([`${cache}/chromium-1200/chrome-linux/libEGL.so`, `${cache}/chromium-1181/chrome-linux/chrome`]),
      ),
    ).toBe(`${cache}/chromium-1181/chrome-linux/chrome`);
  });

  it('honours PLAYWRIGHT_BROWSERS_PATH and XDG_CACHE_HOME', () => {
    expect(findBrowserOn(machine(['/pw/chromium-1194/chrome-linux/chrome'], { PLAYWRIGHT_BROWSERS_PATH: '/pw' }))).toBe(
      '/pw/chromium-1194/chrome-linux/chrome',
    );
    expect(
      findBrowserOn(machine([`${cache}/chromium-1194/chrome-linux/chrome`], { PLAYWRIGHT_BROWSERS_PATH: '/pw' })),
    ).toBeNull();
    expect(
      findBrowserOn(machine(['/xdg/ms-playwright/chromium-1194/chrome-linux/chrome'], { XDG_CACHE_HOME: '/xdg' })),
    ).toBe('/xdg/ms-playwright/chromium-1194/chrome-linux/chrome');
  });

  it('finds nothing on a bare machine', () => {
    expect(findBrowserOn(machine(['/usr/bin/node']))).toBeNull();
  });
});

describe('installSteps', () => {
  it("as root with apt-get: Debian's chromium, then Playwright's download", () => {
    const steps = installSteps(machine(['/usr/bin/apt-get'], {}, true));
    expect(
      steps.map((s) =>
        s.commands.map((c) => `${path.basename(c.command)} ${c.args.map((a) => path.basename(a)).join(' ')}`),
      ),
    ).toEqual([
      ['apt-get update -qq', 'apt-get install -y -qq chromium'],
      [`${path.basename(process.execPath)} cli.js install chromium`],
    ]);
    expect(steps[0].env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
    expect(steps[0].timeoutMs).toBeNull();
    expect(steps[1].timeoutMs).toBe(300_000);
  });

  it("otherwise only Playwright's download, saying where it goes", () => {
    for (const m of [machine(['/usr/bin/apt-get'], {}, false), machine([], {}, true)]) {
      const steps = installSteps(m);
      expect(steps).toHaveLength(1);
      expect(steps[0].says).toContain(cache);
      expect(steps[0].commands[0].args.slice(-2)).toEqual(['install', 'chromium']);
    }
  });
});

describe('ensureBrowser', () => {
  it('installs nothing when a browser is there', async () => {
    const runs: InstallStep[] = [];
    const found = await ensureBrowser(() => undefined, {
      machine: () => machine(['/usr/bin/chromium']),
      run: async (s) => (runs.push(s), null),
    });
    expect(found).toBe('/usr/bin/chromium');
    expect(runs).toEqual([]);
  });

  it('stops at the first step after which a browser is found', async () => {
    const files = ['/usr/bin/apt-get'];
    const lines: string[] = [];
    const found = await ensureBrowser((m) => lines.push(m), {
      machine: () => machine(files, {}, true),
      run: async () => {
        files.push('/usr/bin/chromium');
        return null;
      },
    });
    expect(found).toBe('/usr/bin/chromium');
    expect(lines[0]).toBe(
      "no Chromium found: installing Debian's chromium (apt-get update; apt-get install -y chromium)",
    );
  });

  it('goes on to the download when apt-get fails', async () => {
    const files = ['/usr/bin/apt-get'];
    const lines: string[] = [];
    const found = await ensureBrowser((m) => lines.push(m), {
      machine: () => machine(files, {}, true),
      run: async (step) => {
        if (step.commands[0].command === 'apt-get')
          return 'apt-get install chromium failed (exit 100): E: Unable to locate package chromium';
        files.push(`${cache}/chromium-1194/chrome-linux/chrome`);
        return null;
      },
    });
    expect(found).toBe(`${cache}/chromium-1194/chrome-linux/chrome`);
    expect(lines).toContain('  apt-get install chromium failed (exit 100): E: Unable to locate package chromium');
  });

  it('throws one line naming what to install when nothing worked', async () => {
    const attempt = ensureBrowser(() => undefined, {
      machine: () => machine(['/usr/bin/apt-get'], {}, true),
      run: async () => 'failed',
    });
    await expect(attempt).rejects.toThrow(NO_BROWSER);
    expect(NO_BROWSER).not.toContain('\n');
    expect(NO_BROWSER).toMatch(/apt-get install chromium/);
    expect(NO_BROWSER).toMatch(/playwright-core install chromium/);
    expect(NO_BROWSER).toMatch(/CHROMIUM_PATH/);
  });

  it('fails on a bad CHROMIUM_PATH without installing anything', async () => {
    const runs: InstallStep[] = [];
    const attempt = ensureBrowser(() => undefined, {
      machine: () => machine(['/usr/bin/apt-get'], { CHROMIUM_PATH: '/tmp/nope' }, true),
      run: async (s) => (runs.push(s), null),
    });
    await expect(attempt).rejects.toThrow(/^CHROMIUM_PATH=\/tmp\/nope/);
    expect(runs).toEqual([]);
  });
});

describe('runsBrowserProject', () => {
  it('is true when the e2e or bench project runs', () => {
    expect(runsBrowserProject(['--project', 'unit', '--project', 'e2e'])).toBe(true);
    expect(runsBrowserProject(['--project=bench'])).toBe(true);
    expect(runsBrowserProject(['tests/unit/config.test.ts'])).toBe(true);
    expect(runsBrowserProject(['--project', 'e*'])).toBe(true);
  });

  it('is false for projects without a browser', () => {
    expect(runsBrowserProject(['--project', 'unit'])).toBe(false);
    expect(runsBrowserProject(['--project', 'faults'])).toBe(false);
    expect(runsBrowserProject(['--project', 'unit', '--project=integration', '-t', 'e2e'])).toBe(false);
  });
});
