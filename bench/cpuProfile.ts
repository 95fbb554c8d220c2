/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the busy time went: the self time of
 * every sampled function, added up by the package (or Node module, or project folder) its code
 * lives in, and the functions that took the most. Idle time is left out of the shares. A window
 * (CLOCK_MONOTONIC microseconds, the clock of both V8's sample timestamps and `process.hrtime`
 * in any process on the machine) keeps only the samples taken under load, not the start-up's.
 * Usage on its own: tsx bench/cpuProfile.ts FILE.cpuprofile
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'

type CallFrame = { functionName: string; url: string; lineNumber: number }
type ProfileNode = { id: number; callFrame: CallFrame }
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export type ProfileSummary = {
  /** Sampled time, seconds; busy excludes the profiler's `(idle)`. */
  sampledSeconds: number
  busySeconds: number
  byOwner: { owner: string; share: number }[]
  topFunctions: { name: string; owner: string; share: number }[]
}

const ROOT = path.resolve(import.meta.dirname, '..')

/** Who a function belongs to: an npm package, a Node module, a project folder, or V8 itself. */
export const ownerOf = ({ functionName, url }: CallFrame): string => {
  if (functionName === '(garbage collector)') return 'garbage collection'
  if (functionName === '(program)') return 'V8 and native code (unattributed)'
  if (url === '') return 'V8 builtins (JSON, RegExp, …)'
  if (url.startsWith('wasm:')) return 'WebAssembly'
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length)
    if (/(^|\/)(_http_|http)|internal\/http|stream|net\b|internal\/streams/.test(module)) return 'node: http, net and streams'
    return 'node: other internals'
  }
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url
  const inModules = file.lastIndexOf('/node_modules/')
  if (inModules >= 0) {
    const [first, second] = file.slice(inModules + '/node_modules/'.length).split('/')
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? file)
  }
  const relative = path.relative(ROOT, file)
  if (!relative.startsWith('..')) {
    const parts = relative.split(path.sep)
    return `project: ${parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/')}`
  }
  return file
}

export type Window = { fromMicros: number; toMicros: number }

/** Now on the monotonic clock V8 stamps its samples with, in microseconds. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n)

export const summariseProfile = (file: string, { top = 15, window }: { top?: number; window?: Window } = {}): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  if (window && (window.toMicros < profile.startTime || window.fromMicros > profile.endTime)) {
    throw new Error(`the load (${window.fromMicros}–${window.toMicros} µs) is outside the profile (${profile.startTime}–${profile.endTime} µs)`)
  }
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfMicros = new Map<number, number>()
  let at = profile.startTime
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    at += delta
    if (window && (at < window.fromMicros || at > window.toMicros)) return
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta)
  })

  let sampled = 0
  let idle = 0
  const byOwner = new Map<string, number>()
  const byFunction = new Map<string, { name: string; owner: string; micros: number }>()
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id)?.callFrame
    if (!frame) continue
    sampled += micros
    if (frame.functionName === '(idle)' || frame.functionName === '(root)') {
      idle += micros
      continue
    }
    const owner = ownerOf(frame)
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros)
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim()
    const entry = byFunction.get(`${owner}|${name}`) ?? { name, owner, micros: 0 }
    entry.micros += micros
    byFunction.set(`${owner}|${name}`, entry)
  }
  const busy = sampled - idle
  const share = (micros: number) => Math.round((micros / busy) * 1000) / 1000
  return {
    sampledSeconds: Math.round(sampled / 1e5) / 10,
    busySeconds: Math.round(busy / 1e5) / 10,
    byOwner: [...byOwner].map(([owner, micros]) => ({ owner, share: share(micros) })).sort((a, b) => b.share - a.share),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, top)
      .map(({ name, owner, micros }) => ({ name, owner, share: share(micros) })),
  }
}

export const printProfile = (summary: ProfileSummary, log: (line: string) => void) => {
  log(`  ${summary.busySeconds} s busy of ${summary.sampledSeconds} s sampled; shares of the busy time:`)
  for (const { owner, share } of summary.byOwner.filter((entry) => entry.share >= 0.005)) log(`    ${(share * 100).toFixed(1).padStart(5)}%  ${owner}`)
  log('  functions with the most self time:')
  for (const { name, owner, share } of summary.topFunctions) log(`    ${(share * 100).toFixed(1).padStart(5)}%  ${name}  (${owner})`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const file = process.argv[2]
  if (!file) {
    console.error('usage: tsx bench/cpuProfile.ts FILE.cpuprofile')
    process.exit(1)
  }
  printProfile(summariseProfile(file, { top: 25 }), (line) => process.stdout.write(`${line}\n`))
}
