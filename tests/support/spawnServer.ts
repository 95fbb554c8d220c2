import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
/** Node itself with tsx's loader: one process, so signals reach the server directly. */
const NODE_ARGS = ['--conditions=production', '--import', 'tsx']

export type Exited = { code: number | null; stdout: string; stderr: string }

const childEnv = (env: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const base: NodeJS.ProcessEnv = { ...process.env, ADMIN_UI: 'false', LOG_LEVEL: 'warn' }
  delete base.NODE_OPTIONS
  for (const key of ['DATABASE_URL', 'PAYLOAD_SECRET', 'NODE_ENV', 'PORT', 'SEED_DEMO', 'DEMO_PASSWORD']) delete base[key]
  for (const [key, value] of Object.entries(env)) if (value !== undefined) base[key] = value
  return base
}

/** Runs a script of the project (the server entry by default) and waits for it to exit. */
export const runToExit = (env: Record<string, string | undefined>, args = ['src/server/index.ts'], timeoutMs = 60_000): Promise<Exited> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`still running after ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

export type RunningServer = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }

/** Starts the server entry and resolves once it prints its ready line. */
export const startServer = (env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, 'src/server/index.ts'], { cwd: ROOT, env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`not ready after ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /REST API\s+(http:\/\/\S+)\/api\/articles/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1], output: () => output, exited })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before ready:\n${output}`))
    })
  })

/** SIGTERM, then SIGKILL if the server has not exited 15 s later; resolves once it has exited. */
export const stopServer = (server: { child: ChildProcess }): Promise<void> =>
  new Promise<void>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve()
    const force = setTimeout(() => server.child.kill('SIGKILL'), 15_000)
    server.child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    server.child.kill('SIGTERM')
  })
