#!/usr/bin/env node
// Line-oriented JSON driver around a stock Yjs `y-websocket` client.
//
//   node tests/yjs/peer.mjs <serverUrl> <room> [token]
//
// Reads one JSON command per line on stdin, writes exactly one JSON response
// line per command on stdout ({"ok":true,...} or {"ok":false,"error":"..."}).
// Commands are executed strictly in order. Everything else (logs, warnings of
// y-websocket) goes to stderr. See README.md for the command list.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import readline from 'node:readline'

// ---------------------------------------------------------------------------
// stdout is reserved for protocol lines: route every console method to stderr.
const toStderr = (...args) => console.error(...args)
console.log = toStderr
console.info = toStderr
console.debug = toStderr

const log = (...args) => console.error('[peer]', ...args)

process.on('uncaughtException', (err) => {
  log('uncaught exception:', err && err.stack ? err.stack : err)
})
process.on('unhandledRejection', (err) => {
  log('unhandled rejection:', err && err.stack ? err.stack : err)
})

// ---------------------------------------------------------------------------
const [serverUrl, room, token] = process.argv.slice(2)
if (!serverUrl || !room) {
  console.error('usage: node peer.mjs <serverUrl> <room> [token]')
  process.exit(2)
}

const ROOT_MAPS = ['meta', 'stages', 'lanes', 'cards', 'personas', 'emotions', 'paths', 'switches']
const DEFAULT_TIMEOUT_MS = 5000

const doc = new Y.Doc()
const params = token !== undefined && token !== '' ? { token } : {}

/** connection bookkeeping, exposed by the `status` command */
const conn = {
  status: 'connecting',
  events: [], // [{t, event, ...}] most recent last, capped
  lastClose: null, // {code, reason} of the last closed socket (null = closed locally)
  lastError: null,
  closed: null // {code, reason} when the server closed with 4400-4499 (no more reconnects)
}
const t0 = Date.now()
const record = (event, extra = {}) => {
  conn.events.push({ t: Date.now() - t0, event, ...extra })
  if (conn.events.length > 200) conn.events.shift()
}

const provider = new WebsocketProvider(serverUrl, room, doc, {
  WebSocketPolyfill: WebSocket,
  params,
  disableBc: true
})
log(`connecting to ${provider.url} as client ${doc.clientID}`)

provider.on('status', ({ status }) => {
  conn.status = status
  record('status', { status })
  log('status', status)
})
provider.on('sync', (synced) => {
  record('sync', { synced })
  log('sync', synced)
})
provider.on('connection-close', (event) => {
  const info = event ? { code: event.code, reason: String(event.reason ?? '') } : null
  conn.lastClose = info
  record('connection-close', info ?? { local: true })
  log('connection-close', info ? `${info.code} ${info.reason}` : '(local)')
})
provider.on('connection-error', (event) => {
  const message = event && (event.message || (event.error && event.error.message))
  conn.lastError = message ? String(message) : 'error'
  record('connection-error', { message: conn.lastError })
  log('connection-error', conn.lastError)
})
provider.on('closed', (info) => {
  conn.closed = { code: info.code, reason: String(info.reason ?? '') }
  conn.status = 'closed'
  record('closed', conn.closed)
  log('closed (terminal)', info.code, info.reason)
})

// ---------------------------------------------------------------------------
// helpers

const toJSON = (v) => (v instanceof Y.AbstractType ? v.toJSON() : v)

const timeoutOf = (cmd) => {
  const t = cmd.timeout_ms
  return typeof t === 'number' && t >= 0 ? t : DEFAULT_TIMEOUT_MS
}

const requireString = (cmd, field) => {
  const v = cmd[field]
  if (typeof v !== 'string') throw new Error(`field "${field}" must be a string`)
  return v
}

/**
 * Resolve when `check()` returns a non-undefined value. `check` is re-evaluated
 * whenever one of the `subscribe` hooks fires (no busy polling), plus a slow
 * safety poll every 250ms.
 * @template T
 * @param {() => T | undefined} check
 * @param {Array<(fire: () => void) => () => void>} subscribes each returns an unsubscribe fn
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
const waitUntil = (check, subscribes, timeoutMs, what) => new Promise((resolve, reject) => {
  const first = check()
  if (first !== undefined) return resolve(first)
  let done = false
  const unsubs = []
  const finish = (fn) => {
    if (done) return
    done = true
    clearTimeout(timer)
    clearInterval(poll)
    for (const u of unsubs) u()
    fn()
  }
  const fire = () => {
    if (done) return
    let v
    try {
      v = check()
    } catch (e) {
      return finish(() => reject(e))
    }
    if (v !== undefined) finish(() => resolve(v))
  }
  for (const s of subscribes) unsubs.push(s(fire))
  const poll = setInterval(fire, 250)
  const timer = setTimeout(() => finish(() => reject(new Error(`timeout after ${timeoutMs}ms waiting for ${what}`))), timeoutMs)
})

const onProvider = (event) => (fire) => {
  provider.on(event, fire)
  return () => provider.off(event, fire)
}
const onDocUpdate = (fire) => {
  doc.on('update', fire)
  return () => doc.off('update', fire)
}
const onAwareness = (fire) => {
  provider.awareness.on('change', fire)
  return () => provider.awareness.off('change', fire)
}

const remoteAwareness = () => Array.from(provider.awareness.getStates().entries())
  .filter(([clientId]) => clientId !== doc.clientID)

const statusReply = () => ({
  status: conn.status,
  synced: provider.synced,
  client_id: doc.clientID,
  url: provider.url,
  last_close: conn.lastClose,
  last_error: conn.lastError,
  closed: conn.closed
})

const getCardText = (cardId) => {
  const card = doc.getMap('cards').get(cardId)
  if (!(card instanceof Y.Map)) throw new Error(`card "${cardId}" not found (or not a Y.Map)`)
  const text = card.get('text')
  if (!(text instanceof Y.Text)) throw new Error(`card "${cardId}" has no Y.Text "text"`)
  return text
}

// ---------------------------------------------------------------------------
// shutdown

let tornDown = false
const teardown = async () => {
  if (tornDown) return
  tornDown = true
  const ws = provider.ws
  try {
    provider.destroy() // sends a "client left" awareness update, then closes the socket
  } catch (e) {
    log('destroy failed:', e)
  }
  // give the close handshake a moment, but never hang on it
  if (ws && ws.readyState !== WebSocket.CLOSED && typeof ws.once === 'function') {
    await new Promise((resolve) => {
      const t = setTimeout(resolve, 500)
      ws.once('close', () => { clearTimeout(t); resolve() })
    })
  }
  doc.destroy()
}
const exit = (code) => process.stdout.write('', () => process.exit(code))

// ---------------------------------------------------------------------------
// commands

const commands = {
  async status () {
    return statusReply()
  },

  async wait_synced (cmd) {
    await waitUntil(() => (provider.synced ? true : undefined), [onProvider('sync')], timeoutOf(cmd), 'sync')
    return { synced: true }
  },

  async wait_status (cmd) {
    // extra: wait until conn.status === cmd.status (e.g. "connected", "disconnected", "closed")
    const want = requireString(cmd, 'status')
    await waitUntil(() => (conn.status === want ? true : undefined),
      [onProvider('status'), onProvider('closed'), onProvider('connection-close')], timeoutOf(cmd), `status ${want}`)
    return statusReply()
  },

  async add_stage (cmd) {
    const id = requireString(cmd, 'id')
    const name = requireString(cmd, 'name')
    const order = requireString(cmd, 'order')
    doc.transact(() => {
      const stage = new Y.Map()
      doc.getMap('stages').set(id, stage)
      stage.set('name', new Y.Text(name))
      stage.set('order', order)
    })
    return {}
  },

  async add_card (cmd) {
    const id = requireString(cmd, 'id')
    const stage = requireString(cmd, 'stage')
    const lane = requireString(cmd, 'lane')
    const order = requireString(cmd, 'order')
    const text = cmd.text === undefined ? '' : requireString(cmd, 'text')
    doc.transact(() => {
      const card = new Y.Map()
      doc.getMap('cards').set(id, card)
      card.set('pos', { stage, lane, order })
      card.set('text', new Y.Text(text))
    })
    return {}
  },

  // A channel switch drawn by hand, as documented in shared/src/schema/mod.rs.
  async add_switch (cmd) {
    const id = requireString(cmd, 'id')
    const from = requireString(cmd, 'from')
    const to = requireString(cmd, 'to')
    const note = cmd.note === undefined ? '' : requireString(cmd, 'note')
    doc.transact(() => {
      const sw = new Y.Map()
      doc.getMap('switches').set(id, sw)
      sw.set('from', from)
      sw.set('to', to)
      sw.set('note', new Y.Text(note))
    })
    return {}
  },

  // Puts a card on a path (`on` true) or takes it off: the `path/{id}` key.
  async set_card_path (cmd) {
    const card = doc.getMap('cards').get(requireString(cmd, 'card'))
    if (!(card instanceof Y.Map)) throw new Error(`no card ${JSON.stringify(cmd.card)}`)
    const key = 'path/' + requireString(cmd, 'path')
    if (cmd.on === false) card.delete(key)
    else card.set(key, true)
    return {}
  },

  async insert_text (cmd) {
    const ytext = getCardText(requireString(cmd, 'card'))
    const text = requireString(cmd, 'text')
    const index = cmd.index === undefined ? ytext.length : cmd.index
    if (!Number.isInteger(index) || index < 0 || index > ytext.length) {
      throw new Error(`index ${JSON.stringify(cmd.index)} out of range 0..${ytext.length}`)
    }
    ytext.insert(index, text)
    return { text: ytext.toString() }
  },

  async wait_for (cmd) {
    const mapName = requireString(cmd, 'map')
    const key = requireString(cmd, 'key')
    const ymap = doc.getMap(mapName)
    const value = await waitUntil(
      () => (ymap.has(key) ? { v: toJSON(ymap.get(key)) } : undefined),
      [(fire) => { ymap.observe(fire); return () => ymap.unobserve(fire) }],
      timeoutOf(cmd), `${mapName}.${key}`)
    return { value: value.v }
  },

  async dump () {
    const out = {}
    for (const name of ROOT_MAPS) out[name] = doc.getMap(name).toJSON()
    return { doc: out }
  },

  async set_awareness (cmd) {
    if (cmd.state === undefined) throw new Error('field "state" is required (object or null)')
    provider.awareness.setLocalState(cmd.state)
    return {}
  },

  async awareness () {
    return { states: remoteAwareness() }
  },

  async wait_awareness (cmd) {
    // extra: wait until at least `count` (default 1) remote awareness states are known
    const count = cmd.count === undefined ? 1 : cmd.count
    const states = await waitUntil(() => {
      const s = remoteAwareness()
      return s.length >= count ? s : undefined
    }, [onAwareness], timeoutOf(cmd), `${count} remote awareness state(s)`)
    return { states }
  },

  async wait_update (cmd) {
    // extra: wait until root map `map` changes (compared to its JSON when the command started)
    const before = JSON.stringify(doc.getMap(requireString(cmd, 'map')).toJSON())
    const mapName = cmd.map
    const value = await waitUntil(() => {
      const now = doc.getMap(mapName).toJSON()
      return JSON.stringify(now) !== before ? { v: now } : undefined
    }, [onDocUpdate], timeoutOf(cmd), `change of ${mapName}`)
    return { value: value.v }
  },

  async disconnect () {
    // extra: go offline (keeps the doc; local edits are queued in the doc)
    provider.disconnect()
    return statusReply()
  },

  async connect () {
    // extra: reconnect after `disconnect`; sync happens again (use wait_synced)
    provider.connect()
    return statusReply()
  },

  async close () {
    await teardown()
    return {}
  }
}

// ---------------------------------------------------------------------------
// main loop: strictly sequential, one response line per non-empty input line

const respond = (obj) => {
  let line
  try {
    line = JSON.stringify(obj)
  } catch (e) {
    line = JSON.stringify({ ok: false, error: `cannot serialize response: ${e.message}` })
  }
  process.stdout.write(line + '\n')
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })

for await (const raw of rl) {
  const line = raw.trim()
  if (line === '') continue
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (e) {
    respond({ ok: false, error: `invalid JSON: ${e.message}` })
    continue
  }
  if (cmd === null || typeof cmd !== 'object' || Array.isArray(cmd) || typeof cmd.cmd !== 'string') {
    respond({ ok: false, error: 'command must be a JSON object with a string "cmd" field' })
    continue
  }
  const handler = Object.prototype.hasOwnProperty.call(commands, cmd.cmd) ? commands[cmd.cmd] : undefined
  if (!handler) {
    respond({ ok: false, error: `unknown cmd "${cmd.cmd}"` })
    continue
  }
  try {
    const result = await handler(cmd)
    respond({ ok: true, ...result })
  } catch (e) {
    respond({ ok: false, error: e && e.message ? e.message : String(e) })
  }
  if (cmd.cmd === 'close') {
    rl.close()
    exit(0)
    await new Promise(() => {}) // never continue reading after close
  }
}

// stdin EOF
log('stdin closed, shutting down')
await teardown()
exit(0)
