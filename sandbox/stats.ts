/** Counters for tests and benchmarks: calls per method, faults and 429s served, errors by description. */
export class SandboxStats {
  calls: Record<string, number> = {};
  faultsServed: Record<string, number> = {};
  errors: Record<string, number> = {};
  tooManyRequests = 0;
  floodLimited = 0;

  countCall(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }

  countFault(method: string): void {
    this.faultsServed[method] = (this.faultsServed[method] ?? 0) + 1;
  }

  countError(code: number, description: string): void {
    const key = `${code} ${description}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
    if (code === 429) this.tooManyRequests++;
  }

  reset(): void {
    this.calls = {};
    this.faultsServed = {};
    this.errors = {};
    this.tooManyRequests = 0;
    this.floodLimited = 0;
  }
}
