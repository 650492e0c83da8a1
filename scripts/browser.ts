/**
 * The Chromium that the end-to-end test and the bench's browser step drive: found on this
 * machine, or installed when there is none (Debian's package as root, else Playwright's
 * download), so that `npm test` and `npm run bench` need no browser set up beforehand.
 * The search and the choice of installer are pure functions of a `Machine`, for the unit tests.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Flags for every headless launch: root in a container needs --no-sandbox, and CI has no GPU. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export const NO_BROWSER =
  'No Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium; or npx playwright-core install chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary';

/** Looked up on PATH in this order. */
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Playwright's own download may hang on a network that blocks it. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** The vitest projects that drive Chromium: the end-to-end test, and the quick bench (its browser step). */
const BROWSER_PROJECTS = ['e2e', 'bench'];

/** Whether vitest, given these arguments, runs a project that drives Chromium. */
export function runsBrowserProject(vitestArgs: string[]): boolean {
  const names = vitestArgs.flatMap((arg, i) =>
    arg === '--project'
      ? [vitestArgs[i + 1] ?? '']
      : arg.startsWith('--project=')
        ? [arg.slice('--project='.length)]
        : [],
  );
  if (names.length === 0) return true; // every project
  // A pattern (e2*, !unit) might select one: better a browser found for nothing than a failed test.
  return names.some((name) => BROWSER_PROJECTS.includes(name) || /[*?!{[]/.test(name));
}

/** What the search looks at. */
export interface Machine {
  env: Record<string, string | undefined>;
  homedir: string;
  isRoot: boolean;
  isExecutable(file: string): boolean;
  /** Names in a directory; none when it does not exist. */
  list(dir: string): string[];
}

/** Where Playwright keeps its browsers (as playwright-core's registry decides it on Linux). */
function playwrightCache(machine: Machine): string {
  const configured = machine.env.PLAYWRIGHT_BROWSERS_PATH;
  if (configured === '0') return path.join(ROOT, 'node_modules', 'playwright-core', '.local-browsers');
  if (configured) return path.resolve(configured);
  return path.join(machine.env.XDG_CACHE_HOME || path.join(machine.homedir, '.cache'), 'ms-playwright');
}

/** CHROMIUM_PATH, then PATH, then Playwright's cache (newest revision); null when none is there. */
export function findBrowserOn(machine: Machine): string | null {
  const chosen = machine.env.CHROMIUM_PATH;
  if (chosen) {
    // Not silently something else: whoever set it expects that browser to be the one tested.
    if (!machine.isExecutable(chosen))
      throw new Error(
        `CHROMIUM_PATH=${chosen} is not an executable file: point it at a Chromium/Chrome binary, or unset it`,
      );
    return chosen;
  }
  const dirs = (machine.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (machine.isExecutable(file)) return file;
    }
  }
  const cache = playwrightCache(machine);
  const found: { file: string; revision: number; full: boolean }[] = [];
  for (const entry of machine.list(cache)) {
    const match = /^(chromium|chromium_headless_shell)-(\d+)$/.exec(entry);
    if (!match) continue;
    const full = match[1] === 'chromium';
    for (const platform of machine.list(path.join(cache, entry)).filter((d) => d.startsWith('chrome-linux'))) {
      const file = path.join(cache, entry, platform, full ? 'chrome' : 'headless_shell');
      if (machine.isExecutable(file)) found.push({ file, revision: Number(match[2]), full });
    }
  }
  found.sort((a, b) => b.revision - a.revision || Number(b.full) - Number(a.full));
  return found[0]?.file ?? null;
}

export interface InstallStep {
  /** The one line printed before it runs. */
  says: string;
  commands: { label: string; command: string; args: string[] }[];
  env: Record<string, string>;
  timeoutMs: number | null;
}

/** The ways of getting a Chromium on this machine, to try in order. */
export function installSteps(machine: Machine): InstallStep[] {
  const steps: InstallStep[] = [];
  const hasAptGet = (machine.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && machine.isExecutable(path.join(dir, 'apt-get')));
  if (machine.isRoot && hasAptGet) {
    steps.push({
      says: "no Chromium found: installing Debian's chromium (apt-get update; apt-get install -y chromium)",
      commands: [
        { label: 'apt-get update', command: 'apt-get', args: ['update', '-qq'] },
        { label: 'apt-get install chromium', command: 'apt-get', args: ['install', '-y', '-qq', 'chromium'] },
      ],
      env: { DEBIAN_FRONTEND: 'noninteractive' },
      // Not cut short: killing apt-get in the middle of dpkg leaves the package database to repair.
      timeoutMs: null,
    });
  }
  steps.push({
    says: `no Chromium found: downloading Playwright's Chromium into ${playwrightCache(machine)} (playwright-core install chromium, at most ${DOWNLOAD_TIMEOUT_MS / 60_000} min)`,
    commands: [
      {
        label: 'playwright-core install chromium',
        command: process.execPath,
        args: [path.join(ROOT, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium'],
      },
    ],
    env: {},
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
  });
  return steps;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function thisMachine(): Machine {
  return {
    env: process.env,
    homedir: os.homedir(),
    isRoot: process.getuid?.() === 0,
    isExecutable: isExecutableFile,
    list: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
  };
}

function findBrowser(): string | null {
  return findBrowserOn(thisMachine());
}

/** For whoever needs a browser now and installs none (the e2e test run on its own). */
export function requireBrowser(): string {
  const found = findBrowser();
  if (!found) throw new Error(NO_BROWSER);
  return found;
}

/** Runs one command of a step; null when it succeeded, else why not (one line). */
function runCommand(
  step: InstallStep,
  { label, command, args }: InstallStep['commands'][number],
): Promise<string | null> {
  return new Promise((resolve) => {
    // Its own process group when time-limited, so that the kill also stops what it forked (Playwright downloads in a child).
    const limited = step.timeoutMs !== null;
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: limited,
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = limited
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, step.timeoutMs!)
      : undefined;
    // A detached group does not get the terminal's Ctrl-C: it must not outlive us.
    if (limited) process.once('exit', killGroup);
    const done = (failure: string | null) => {
      clearTimeout(timer);
      process.removeListener('exit', killGroup);
      resolve(failure);
    };
    child.once('error', (error) => done(`${label}: ${error.message}`));
    child.once('close', (code) => {
      if (code === 0) return done(null);
      if (timedOut) return done(`${label}: stopped after ${step.timeoutMs! / 1000} s`);
      // The first error line says more than the last (often a stack frame, or "Download failure, code=1").
      const lines = output
        // eslint-disable-next-line no-control-regex -- strips the terminal's colour codes
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('at '));
      const why = lines.find((l) => /^(E:|Error\b|error\b)/.test(l)) ?? lines.at(-1);
      done(`${label} failed (exit ${code})${why ? `: ${why}` : ''}`);
    });
  });
}

async function runStep(step: InstallStep): Promise<string | null> {
  for (const command of step.commands) {
    const failure = await runCommand(step, command);
    if (failure) return failure;
  }
  return null;
}

/**
 * The path of a Chromium, installing one when the machine has none. Throws NO_BROWSER when
 * nothing worked (what was tried and why it failed goes to `log` first).
 */
export async function ensureBrowser(
  log: (message: string) => void = console.log,
  io: { machine?: () => Machine; run?: (step: InstallStep) => Promise<string | null> } = {},
): Promise<string> {
  const machine = io.machine ?? thisMachine;
  const run = io.run ?? runStep;
  const found = findBrowserOn(machine());
  if (found) return found;
  for (const step of installSteps(machine())) {
    log(step.says);
    const failure = await run(step);
    if (failure) {
      log(`  ${failure}`);
      continue;
    }
    const installed = findBrowserOn(machine());
    if (installed) {
      log(`  using ${installed}`);
      return installed;
    }
    log('  it finished, but no Chromium is where the search looks');
  }
  throw new Error(NO_BROWSER);
}
