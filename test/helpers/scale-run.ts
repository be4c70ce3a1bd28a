/**
 * The multi-instance load run of the shared-state scale test and bench: jobs (commands tagged
 * so the simulator can count each one's executions) spread over instances (`tesla-mcp proxy`
 * processes over HTTP, `tesla-mcp serve --http` processes over MCP) by concurrent workers,
 * optionally SIGKILLing one instance mid-run. Each job ends `ok`, `unknown` (the instance said
 * it may have executed, or the connection broke after sending) or `failed` (it said it did not
 * run); a failure the instance calls retryable is retried, on another instance, as a client would.
 */
import type { McpSession } from './mcp-process.js';
import type { ProxyProcess } from './proxy-process.js';

export interface Job {
  i: number;
  vin: string;
  name: string;
  params: Record<string, unknown>;
}

export type Outcome = 'ok' | 'unknown' | 'failed';

export interface Instance {
  label: string;
  call(job: Job): Promise<{ outcome: Outcome; retryable?: boolean; detail?: string }>;
  /** SIGKILL (proxies only). */
  kill?: () => Promise<void>;
}

/**
 * Job `i` over `vins` (round `i / vins.length` of one command per car): an idempotent command
 * tagged with `i`, and three others in turn, shifted each round so every car gets both domains.
 */
export function jobFor(i: number, vins: string[]): Job {
  const vin = vins[i % vins.length] ?? '';
  switch ((i + Math.floor(i / vins.length)) % 4) {
    case 0:
      return { i, vin, name: 'set_vehicle_name', params: { vehicle_name: `cmd-${i}` } };
    case 1:
      return { i, vin, name: 'honk_horn', params: {} };
    case 2:
      return { i, vin, name: 'door_lock', params: {} };
    default:
      return { i, vin, name: 'flash_lights', params: {} };
  }
}

export function proxyInstance(p: ProxyProcess, token: string, label: string): Instance {
  return {
    label,
    kill: () => p.kill(),
    async call(job) {
      let res: Response;
      try {
        res = await fetch(`${p.url}/api/1/vehicles/${job.vin}/command/${job.name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(job.params),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        // Refused before anything was sent: not executed; anything else: it may have been.
        if (code === 'ECONNREFUSED') return { outcome: 'failed', retryable: true, detail: code };
        return { outcome: 'unknown', detail: String(code ?? err) };
      }
      const text = await res.text();
      if (res.status === 200 && /"result":true/.test(text)) return { outcome: 'ok' };
      if (/may have executed/i.test(text)) return { outcome: 'unknown', detail: text };
      return {
        outcome: 'failed',
        retryable: res.status === 503 || res.status === 504,
        detail: text,
      };
    },
  };
}

export function mcpInstance(s: McpSession, label: string): Instance {
  return {
    label,
    async call(job) {
      let r: Awaited<ReturnType<McpSession['call']>>;
      try {
        r = await s.call(job.name, { vin: job.vin, ...job.params });
      } catch (err) {
        return { outcome: 'unknown', detail: String(err) };
      }
      if (!r.isError) return { outcome: 'ok' };
      const e = (r.structuredContent?.error ?? {}) as {
        retryable?: boolean;
        mayHaveSucceeded?: boolean;
      };
      const detail = r.content.map((c) => c.text).join(' ');
      if (e.mayHaveSucceeded) return { outcome: 'unknown', detail };
      return { outcome: 'failed', retryable: e.retryable === true, detail };
    },
  };
}

export interface RunResult {
  outcomes: Outcome[];
  details: string[];
  /** Jobs that had been handed to the killed instance and had not come back when it died. */
  inFlightAtKill: number;
  seconds: number;
}

export async function runJobs(o: {
  jobs: Job[];
  instances: Instance[];
  workers: number;
  /** Jobs per round (the number of cars): each round moves every car to the next instance. */
  cars: number;
  /** SIGKILL `instances[0]` once this many jobs are done. */
  killAfter?: number;
}): Promise<RunResult> {
  const outcomes: Outcome[] = [];
  const details: string[] = [];
  const alive = new Set(o.instances);
  const inFlight = new Map<Instance, number>();
  let next = 0;
  let done = 0;
  let inFlightAtKill = 0;
  let killing: Promise<void> | undefined;
  const started = Date.now();
  const pick = (i: number, attempt: number) => {
    const list = [...alive];
    return list[(i + Math.floor(i / o.cars) + attempt) % list.length] as Instance;
  };
  const worker = async () => {
    for (let i = next++; i < o.jobs.length; i = next++) {
      const job = o.jobs[i] as Job;
      let outcome: Outcome = 'failed';
      for (let attempt = 0; attempt < 4; attempt++) {
        const inst = pick(i, attempt);
        inFlight.set(inst, (inFlight.get(inst) ?? 0) + 1);
        const r = await inst.call(job);
        inFlight.set(inst, (inFlight.get(inst) ?? 1) - 1);
        outcome = r.outcome;
        if (r.detail && r.outcome !== 'ok')
          details.push(`${job.i} ${job.name} via ${inst.label}: ${r.detail}`);
        if (r.outcome !== 'failed' || !r.retryable) break;
        await new Promise((res) => setTimeout(res, 300));
      }
      outcomes[i] = outcome;
      done++;
      const victim = o.instances[0];
      if (o.killAfter !== undefined && done >= o.killAfter && !killing && victim?.kill) {
        alive.delete(victim);
        inFlightAtKill = inFlight.get(victim) ?? 0;
        killing = victim.kill();
      }
    }
  };
  await Promise.all(Array.from({ length: o.workers }, worker));
  await killing;
  return { outcomes, details, inFlightAtKill, seconds: (Date.now() - started) / 1000 };
}

export interface SimStats {
  total: { handshakes: number; commands: number; faults: number };
  vehicles: Record<
    string,
    {
      handshakes: { vcsec: number; infotainment: number };
      faults: Record<string, number>;
      executed: Record<string, number>;
    }
  >;
  requests: { byEndpoint: Record<string, number> };
}

export async function simStats(url: string, token: string): Promise<SimStats> {
  const res = await fetch(`${url}/_sim/stats`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { response: SimStats }).response;
}

/**
 * What the run must show: for every job, the executions the simulator counted fit its outcome
 * (tagged jobs exactly: ok → 1, unknown → 0 or 1, failed → 0; untagged ones per car and name,
 * between the ok count and ok + unknown). Returns the violations (none expected).
 */
export function executionViolations(jobs: Job[], outcomes: Outcome[], stats: SimStats): string[] {
  const out: string[] = [];
  const groups = new Map<string, { ok: number; unknown: number }>();
  for (const job of jobs) {
    const outcome = outcomes[job.i];
    const car = stats.vehicles[job.vin];
    if (job.name === 'set_vehicle_name') {
      const n = car?.executed[`set_vehicle_name ${JSON.stringify(job.params)}`] ?? 0;
      const okay = outcome === 'ok' ? n === 1 : outcome === 'unknown' ? n <= 1 : n === 0;
      if (!okay) out.push(`job ${job.i} (${outcome}) ran ${n} times`);
      continue;
    }
    const key = `${job.vin} ${job.name}`;
    const g = groups.get(key) ?? { ok: 0, unknown: 0 };
    if (outcome === 'ok') g.ok++;
    if (outcome === 'unknown') g.unknown++;
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    const [vin = '', name = ''] = key.split(' ');
    const n = stats.vehicles[vin]?.executed[name] ?? 0;
    if (n < g.ok || n > g.ok + g.unknown) {
      out.push(`${key}: ran ${n} times for ${g.ok} ok and ${g.unknown} unknown`);
    }
  }
  return out;
}
