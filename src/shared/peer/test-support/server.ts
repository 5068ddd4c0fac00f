import type { SignalingLimits } from '../../../../signaling/limits'
import { startSignalingServer, type SignalingServer } from '../../../../signaling/server'
import { SIGNALING_PATH } from '../../signaling/protocol'

export interface TestSignaling {
  server: SignalingServer
  wsUrl: string
  /** Every log line the server wrote. */
  logs: string[]
  /** Stops the server and starts a new one on the same port (all rooms are lost). */
  restart(): Promise<void>
  close(): Promise<void>
}

/** The real signaling server on 127.0.0.1, on a free port, logging into memory. */
export async function startTestSignaling(limits: Partial<SignalingLimits> = {}): Promise<TestSignaling> {
  const logs: string[] = []
  const start = (port: number) =>
    startSignalingServer({ port, host: '127.0.0.1', iceServers: [], limits, log: (line) => logs.push(line) })
  let server = await start(0)
  const handle: TestSignaling = {
    server,
    wsUrl: `ws://127.0.0.1:${server.port}${SIGNALING_PATH}`,
    logs,
    async restart() {
      await server.close()
      server = await start(server.port)
      handle.server = server
    },
    close: () => server.close(),
  }
  return handle
}
