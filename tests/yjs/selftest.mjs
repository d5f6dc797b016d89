#!/usr/bin/env node
// Self-test for peer.mjs against the reference Node y-protocols server
// (@y/websocket-server, devDependency). Starts the server on a free port,
// drives two peer.mjs processes and checks they converge.
//
//   npm run selftest        (exit 0 = all good, 1 = failure)

import http from 'node:http'
import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const here = path.dirname(fileURLToPath(import.meta.url))
const PEER = path.join(here, 'peer.mjs')
const VERBOSE = process.env.SELFTEST_VERBOSE === '1'

let passed = 0
let failed = 0
const check = (name, cond, detail) => {
  if (cond) {
    passed++
    console.log(`  ok   ${name}`)
  } else {
    failed++
    console.log(`  FAIL ${name}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`)
  }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// --- reference server -------------------------------------------------------
// Mirrors the Parcours URL layout: ws://HOST/sync/{room}?token=...
// token "reject" -> accept the socket and close it with 4401 (permanent per y-websocket)
const upgrades = []
const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_req, res) => { res.writeHead(404); res.end() })
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://x')
  upgrades.push(req.url)
  if (!url.pathname.startsWith('/sync/')) {
    socket.write('HTTP/1.1 404 Not Found\r\n\r\n')
    socket.destroy()
    return
  }
  const room = decodeURIComponent(url.pathname.slice('/sync/'.length))
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (url.searchParams.get('token') === 'reject') {
      ws.close(4401, 'bad token')
      return
    }
    setupWSConnection(ws, req, { docName: room })
  })
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const port = server.address().port
const serverUrl = `ws://127.0.0.1:${port}/sync`
console.log(`reference server on ${serverUrl}`)

// --- peer process wrapper -----------------------------------------------------
class Peer {
  constructor (name, room, token) {
    this.name = name
    this.proc = spawn(process.execPath, [PEER, serverUrl, room, ...(token ? [token] : [])], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.waiters = []
    this.stray = []
    this.exit = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)))
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const w = this.waiters.shift()
      if (w) w(line)
      else this.stray.push(line)
    })
    readline.createInterface({ input: this.proc.stderr }).on('line', (line) => {
      if (VERBOSE) console.log(`    [${name} stderr] ${line}`)
    })
  }

  /** send a raw line, resolve with the parsed response line */
  raw (line, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.name}: no response to ${line}`)), timeoutMs)
      this.waiters.push((l) => { clearTimeout(t); resolve(JSON.parse(l)) })
      this.proc.stdin.write(line + '\n')
    })
  }

  send (cmd) { return this.raw(JSON.stringify(cmd)) }

  /** send and require ok:true */
  async ok (cmd) {
    const r = await this.send(cmd)
    if (!r.ok) throw new Error(`${this.name}: ${JSON.stringify(cmd)} -> ${JSON.stringify(r)}`)
    return r
  }
}

const waitEqualDumps = async (a, b, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs
  let da, db
  do {
    da = (await a.ok({ cmd: 'dump' })).doc
    db = (await b.ok({ cmd: 'dump' })).doc
    if (isDeepStrictEqual(da, db)) return { equal: true, doc: da }
    await sleep(50)
  } while (Date.now() < deadline)
  return { equal: false, a: da, b: db }
}

// --- the test -------------------------------------------------------------------
const room = 'map-selftest'
let a, b, c
const hardTimeout = setTimeout(() => {
  console.log('FAIL: selftest hard timeout (60s)')
  process.exit(1)
}, 60000)

try {
  a = new Peer('A', room, 'token-a')
  b = new Peer('B', room, 'token-b')

  check('A wait_synced', (await a.send({ cmd: 'wait_synced', timeout_ms: 5000 })).ok)
  check('B wait_synced', (await b.send({ cmd: 'wait_synced', timeout_ms: 5000 })).ok)
  const stA = await a.ok({ cmd: 'status' })
  check('A status connected+synced', stA.status === 'connected' && stA.synced === true, stA)
  check('token passed as ?token=', upgrades.includes(`/sync/${room}?token=token-a`) && upgrades.includes(`/sync/${room}?token=token-b`), upgrades)

  // stage created in A shows up in B
  await a.ok({ cmd: 'add_stage', id: 's1', name: 'Awareness', order: 'a0' })
  const w1 = await b.send({ cmd: 'wait_for', map: 'stages', key: 's1', timeout_ms: 5000 })
  check('B sees stage s1', w1.ok && isDeepStrictEqual(w1.value, { name: 'Awareness', order: 'a0' }), w1)

  // card created in B shows up in A
  await b.ok({ cmd: 'add_card', id: 'c1', stage: 's1', lane: 'l1', order: 'a0', text: 'hello' })
  const w2 = await a.send({ cmd: 'wait_for', map: 'cards', key: 'c1', timeout_ms: 5000 })
  check('A sees card c1', w2.ok && isDeepStrictEqual(w2.value, { pos: { stage: 's1', lane: 'l1', order: 'a0' }, text: 'hello' }), w2)

  // concurrent text inserts in both peers
  const [ia, ib] = await Promise.all([
    a.send({ cmd: 'insert_text', card: 'c1', index: 0, text: 'AAA ' }),
    b.send({ cmd: 'insert_text', card: 'c1', index: 5, text: ' BBB' })
  ])
  check('concurrent insert_text ok', ia.ok && ib.ok, [ia, ib])
  const conv = await waitEqualDumps(a, b)
  check('dumps converge after concurrent edits', conv.equal, conv)
  check('merged text', conv.equal && conv.doc.cards.c1.text === 'AAA hello BBB', conv.doc && conv.doc.cards)
  check('dump has all root maps', conv.equal && ['meta', 'stages', 'lanes', 'cards', 'personas', 'emotions', 'paths'].every((k) => k in conv.doc))

  // awareness
  await a.ok({ cmd: 'set_awareness', state: { user: { name: 'alice' }, cursor: { card: 'c1' } } })
  const wa = await b.send({ cmd: 'wait_awareness', timeout_ms: 5000 })
  const aId = stA.client_id
  let seen = false
  for (let i = 0; i < 40 && !seen; i++) {
    const aw = await b.ok({ cmd: 'awareness' })
    seen = aw.states.some(([id, s]) => id === aId && s && s.user && s.user.name === 'alice')
    if (!seen) await sleep(50)
  }
  check('B sees A awareness state', wa.ok && seen)
  const awA = await a.ok({ cmd: 'awareness' })
  check('awareness excludes own state', !awA.states.some(([id]) => id === aId), awA)

  // offline edits + reconnect (sync step 1/2 on reconnect)
  await a.ok({ cmd: 'disconnect' })
  await a.ok({ cmd: 'insert_text', card: 'c1', text: ' offlineA' })
  await b.ok({ cmd: 'add_stage', id: 's2', name: 'Consideration', order: 'a1' })
  await a.ok({ cmd: 'connect' })
  check('A re-synced after reconnect', (await a.send({ cmd: 'wait_synced', timeout_ms: 5000 })).ok)
  const w3 = await a.send({ cmd: 'wait_for', map: 'stages', key: 's2', timeout_ms: 5000 })
  check('A got s2 made while offline', w3.ok, w3)
  const conv2 = await waitEqualDumps(a, b)
  check('dumps converge after reconnect', conv2.equal && conv2.doc.cards.c1.text === 'AAA hello BBB offlineA', conv2)

  // error handling: never crash, always one line
  const e1 = await a.raw('this is not json')
  check('invalid JSON -> ok:false', e1.ok === false && typeof e1.error === 'string', e1)
  const e2 = await a.send({ cmd: 'nope' })
  check('unknown cmd -> ok:false', e2.ok === false, e2)
  const e3 = await a.send({ cmd: 'insert_text', card: 'missing', index: 0, text: 'x' })
  check('insert into missing card -> ok:false', e3.ok === false, e3)
  const e4 = await a.send({ cmd: 'insert_text', card: 'c1', index: 9999, text: 'x' })
  check('insert out of range -> ok:false', e4.ok === false, e4)
  const t0 = Date.now()
  const e5 = await a.send({ cmd: 'wait_for', map: 'stages', key: 'never', timeout_ms: 200 })
  check('wait_for timeout -> ok:false', e5.ok === false && Date.now() - t0 < 2000, e5)
  check('still alive after errors', (await a.send({ cmd: 'status' })).ok)

  // permanent rejection: server closes with 4401
  c = new Peer('C', room, 'reject')
  const sc = await c.send({ cmd: 'wait_status', status: 'closed', timeout_ms: 5000 })
  check('rejected peer reports status closed (4401)', sc.ok && sc.closed && sc.closed.code === 4401 && sc.synced === false, sc)
  const ec = await c.send({ cmd: 'wait_synced', timeout_ms: 300 })
  check('rejected peer wait_synced times out', ec.ok === false, ec)

  // shutdown: close command and stdin EOF
  const ca = await a.send({ cmd: 'close' })
  check('A close -> ok', ca.ok, ca)
  check('A exits 0 after close', (await a.exit) === 0)
  let gone = false
  for (let i = 0; i < 40 && !gone; i++) {
    gone = !(await b.ok({ cmd: 'awareness' })).states.some(([id]) => id === aId)
    if (!gone) await sleep(50)
  }
  check('B sees A awareness removed after A closed', gone)
  const wb = await b.send({ cmd: 'wait_update', map: 'meta', timeout_ms: 200 })
  check('B alive after A left (wait_update timeout is ok:false)', wb.ok === false, wb)
  b.proc.stdin.end()
  check('B exits 0 on stdin EOF', (await b.exit) === 0)
  c.proc.stdin.end()
  check('C exits 0 on stdin EOF', (await c.exit) === 0)
  check('no stray stdout lines', a.stray.length + b.stray.length + c.stray.length === 0, [a.stray, b.stray, c.stray])
} catch (e) {
  failed++
  console.log(`  FAIL exception: ${e && e.stack ? e.stack : e}`)
} finally {
  clearTimeout(hardTimeout)
  for (const p of [a, b, c]) if (p && p.proc.exitCode === null) p.proc.kill()
  wss.close()
  server.close()
}

console.log(`selftest: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
