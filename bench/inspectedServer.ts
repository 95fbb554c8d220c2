import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')

export type InspectedServer = {
  child: ChildProcess
  url: string
  /** The server's own inspector (loopback, a free port): lets the soak ask for a full GC before it reads RSS. */
  inspector: string
  output: () => string
}

/**
 * Starts the server entry as tests/support/spawnServer.ts does (node with tsx's loader, API only),
 * with its inspector listening on a free loopback port, and resolves once it prints its ready line.
 */
export const startInspectedServer = (env: Record<string, string>, timeoutMs = 120_000): Promise<InspectedServer> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ADMIN_UI: 'false', LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...env }
    delete childEnv.NODE_OPTIONS
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '--conditions=production', '--import', 'tsx', 'src/server/index.ts'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`not ready after ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      // Keep the start of the output (the ready lines) and what came last, not everything.
      output = output.length > 64_000 ? `${output.slice(0, 16_000)}\n…\n${output.slice(-16_000)}${chunk}` : output + chunk.toString()
      const ready = /REST API\s+(http:\/\/\S+)\/api\/articles/.exec(output)
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(output)
      if (ready?.[1] && inspector?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: ready[1], inspector: inspector[1], output: () => output })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before ready:\n${output}`))
    })
  })

/**
 * Asks the process for a full, memory-reducing garbage collection through its inspector
 * (`HeapProfiler.collectGarbage`) and returns its JavaScript heap in use afterwards, in MiB.
 */
export const collectGarbage = (inspector: string, timeoutMs = 30_000): Promise<number | null> =>
  new Promise((resolve) => {
    const socket = new WebSocket(inspector)
    const timer = setTimeout(() => {
      socket.close()
      resolve(null)
    }, timeoutMs)
    const finish = (value: number | null) => {
      clearTimeout(timer)
      socket.close()
      resolve(value)
    }
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }))
    })
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: { usedSize?: number } }
      // A second collection frees what the first one's finalizers released.
      if (message.id === 1) socket.send(JSON.stringify({ id: 2, method: 'HeapProfiler.collectGarbage' }))
      if (message.id === 2) socket.send(JSON.stringify({ id: 3, method: 'Runtime.getHeapUsage' }))
      if (message.id === 3) finish(message.result?.usedSize === undefined ? null : Math.round((message.result.usedSize / 2 ** 20) * 10) / 10)
    })
    socket.addEventListener('error', () => finish(null))
  })
