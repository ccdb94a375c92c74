/**
 * CPU time from Linux's /proc, for the benchmarks that report it per process or per thread.
 */
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) in a /proc stat file — a process's or one thread's; undefined if it is gone. */
export function statCpuSeconds(path: string): number | undefined {
  try {
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the command), in clock ticks (100 a second).
    const fields = readFileSync(path, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used so far (all its threads). */
export function processCpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${pid}/stat`);
}
