/**
 * The progress of `fedgate up` on stdout: one line per member. On a terminal the lines are
 * redrawn in place (with a spinner and the time so far); otherwise each change of a
 * member's phase is one plain line, so logs and pipes stay readable.
 */
import type { ClusterPhase } from './up-clusters.js';

/** A member's phase as the progress shows it. */
export type MemberPhase = ClusterPhase | 'exited';

/** One line of the progress. */
export interface ProgressRow {
  name: string;
  region: string;
  phase: MemberPhase;
  /** Milliseconds since the start of `fedgate up` when the phase began. */
  atMs: number;
  /** Extra words after the phase (an exit code and reason). */
  detail?: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_EVERY_MS = 100;
const NAME_WIDTH = 12;
const PHASE_WIDTH = 11;

/** Seconds with one decimal: `6.2s`. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

function done(phase: MemberPhase): boolean {
  return phase === 'Ready' || phase === 'exited';
}

/**
 * One progress line. On a terminal, `nowMs` drives the running clock and `frame` the
 * spinner of a member still on its way; a plain line shows when the phase began.
 */
export function formatProgressLine(row: ProgressRow, nowMs: number, tty: boolean, frame = 0): string {
  const detail = row.detail ? `  ${row.detail}` : '';
  const cols = `${row.name.padEnd(NAME_WIDTH)}${row.region.padEnd(NAME_WIDTH)}${row.phase.padEnd(PHASE_WIDTH)}`;
  if (!tty) return `  ${cols}${formatSeconds(row.atMs)}${detail}`;
  const mark = row.phase === 'Ready' ? '✓' : row.phase === 'exited' ? '✗' : SPINNER[frame % SPINNER.length];
  return `  ${mark} ${cols}${formatSeconds(done(row.phase) ? row.atMs : nowMs)}${detail}`;
}

/** Where the progress goes: stdout, or anything with `write` (tests). */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The live progress lines of the members. */
export class ProgressDisplay {
  private readonly rows: ProgressRow[];
  private readonly tty: boolean;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private drawn = 0;

  constructor(
    private readonly out: ProgressOutput,
    members: readonly { name: string; region: string }[],
    private readonly elapsedMs: () => number,
  ) {
    this.tty = out.isTTY === true;
    this.rows = members.map((m) => ({ name: m.name, region: m.region, phase: 'starting', atMs: elapsedMs() }));
  }

  /** Shows the first lines (and, on a terminal, keeps them moving). */
  start(): void {
    const now = this.elapsedMs();
    for (const row of this.rows) row.atMs = now;
    if (this.tty) {
      this.redraw();
      this.timer = setInterval(() => {
        this.frame++;
        this.redraw();
      }, REDRAW_EVERY_MS);
      this.timer.unref();
    } else {
      for (const row of this.rows) this.out.write(`${formatProgressLine(row, this.elapsedMs(), false)}\n`);
    }
  }

  /** Moves a member to `phase`; nothing happens when it is there already. */
  set(name: string, phase: MemberPhase, detail?: string): void {
    const row = this.rows.find((r) => r.name === name);
    if (!row || (row.phase === phase && row.detail === detail)) return;
    row.phase = phase;
    row.atMs = this.elapsedMs();
    if (detail === undefined) delete row.detail;
    else row.detail = detail;
    if (this.tty) this.redraw();
    else this.out.write(`${formatProgressLine(row, row.atMs, false)}\n`);
  }

  /** The current phase of `name`. */
  phase(name: string): MemberPhase | undefined {
    return this.rows.find((r) => r.name === name)?.phase;
  }

  /** Stops redrawing; the last state stays on screen. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.redraw();
  }

  private redraw(): void {
    const now = this.elapsedMs();
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const row of this.rows) text += `\x1b[2K${formatProgressLine(row, now, true, this.frame)}\n`;
    this.drawn = this.rows.length;
    this.out.write(text);
  }
}
