#!/usr/bin/env node
// Stock y-websocket clients that edit at random and drop their sockets at random.
//
//   node tests/yjs/storm.mjs storm <serverUrl> <room> <token> <clients> <seconds> <seed>
//   node tests/yjs/storm.mjs read  <serverUrl> <room> <token>
//
// `storm` runs <clients> WebsocketProviders (yjs 13.6, y-websocket 3.1, default options:
// in one process they also talk over a BroadcastChannel, as tabs of one browser do) on
// one map for <seconds>. Each makes random edits to a Y.Map, a Y.Array and a Y.Text and
// now and then goes offline for a moment (edits made meanwhile are sent on reconnect,
// as the stock provider sends them: eagerly, before answering the server's sync
// step 1). Then every client reconnects and the script waits until all agree. It prints
// one JSON line: {clients, edits, drops, closes: {code: count}, converged, content}.
//
// `read` joins with one fresh provider (no BroadcastChannel: it can only learn from
// the server), waits for sync and prints {content}: what the server holds.
//
// Logs go to stderr; stdout carries the one result line.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const log = (...args) => console.error('[storm]', ...args)
console.log = log

const [mode, serverUrl, room, token, ...rest] = process.argv.slice(2)
if (!['storm', 'read'].includes(mode) || !serverUrl || !room) {
  console.error('usage: storm.mjs storm|read <serverUrl> <room> <token> [clients seconds seed]')
  process.exit(2)
}
const params = token ? { token } : {}

// A small seeded PRNG (mulberry32), so a failing run can be replayed.
const rng = (seed) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** What a document holds, as one comparable string (map keys sorted: their order
 * in toJSON() follows each replica's history, not the content). */
const content = (doc) => {
  const map = doc.getMap('storm-map').toJSON()
  const sorted = Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]))
  return JSON.stringify({
    map: sorted,
    list: doc.getArray('storm-list').toJSON(),
    text: doc.getText('storm-text').toString()
  })
}

const connect = (doc, opts = {}) => new WebsocketProvider(serverUrl, room, doc, {
  WebSocketPolyfill: WebSocket,
  params,
  maxBackoffTime: 500,
  ...opts
})

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const waitFor = async (check, ms, what) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await sleep(50)
  }
}

const WORDS = ['touchpoint', 'stage', 'persona', 'drop-off', 'app', 'store', 'call', 'chat', 'email', 'review']

/** One random edit to one of the three shared types. */
const edit = (doc, random) => {
  const r = random()
  doc.transact(() => {
    if (r < 0.34) {
      const map = doc.getMap('storm-map')
      const key = `k${Math.floor(random() * 24)}`
      if (random() < 0.25) map.delete(key)
      else map.set(key, Math.floor(random() * 1000))
    } else if (r < 0.67) {
      const list = doc.getArray('storm-list')
      if (list.length > 40 || (list.length > 0 && random() < 0.3)) {
        const at = Math.floor(random() * list.length)
        list.delete(at, Math.min(1 + Math.floor(random() * 3), list.length - at))
      } else {
        list.insert(Math.floor(random() * (list.length + 1)), [Math.floor(random() * 100)])
      }
    } else {
      const text = doc.getText('storm-text')
      if (text.length > 400 || (text.length > 0 && random() < 0.3)) {
        const at = Math.floor(random() * text.length)
        text.delete(at, Math.min(1 + Math.floor(random() * 8), text.length - at))
      } else {
        const word = WORDS[Math.floor(random() * WORDS.length)]
        text.insert(Math.floor(random() * (text.length + 1)), word + ' ')
      }
    }
  })
}

const storm = async (clients, seconds, seed) => {
  const random = rng(seed)
  const closes = {}
  let edits = 0
  let drops = 0
  const peers = []
  for (let i = 0; i < clients; i++) {
    const doc = new Y.Doc()
    const provider = connect(doc)
    provider.on('connection-close', (event) => {
      // null: closed by this side (a drop the script made); a code: closed by the server
      // or the network.
      if (event) {
        closes[event.code] = (closes[event.code] || 0) + 1
        if (event.code === 1007 || event.code >= 4000) log(`client ${i} closed by server: ${event.code} ${event.reason}`)
      }
    })
    peers.push({ doc, provider, offlineUntil: 0 })
  }
  await waitFor(() => peers.every((p) => p.provider.synced), 20000, 'first sync')
  const end = Date.now() + seconds * 1000
  while (Date.now() < end) {
    for (const p of peers) {
      const now = Date.now()
      if (p.offlineUntil && now >= p.offlineUntil) {
        p.offlineUntil = 0
        p.provider.connect()
      }
      if (random() < 0.6) {
        edit(p.doc, random)
        edits++
      }
      if (!p.offlineUntil && random() < 0.04) {
        drops++
        if (random() < 0.5) {
          // Offline for a moment, editing meanwhile.
          p.provider.disconnect()
          p.offlineUntil = now + 20 + Math.floor(random() * 300)
        } else {
          // The socket dies under the provider; it reconnects by itself.
          p.provider.ws?.close()
        }
      }
    }
    await sleep(25)
  }
  for (const p of peers) {
    if (p.offlineUntil) p.provider.connect()
  }
  let converged = true
  try {
    await waitFor(() => {
      if (!peers.every((p) => p.provider.synced)) return false
      const first = content(peers[0].doc)
      return peers.every((p) => content(p.doc) === first)
    }, 30000, 'convergence')
  } catch (e) {
    converged = false
    log(e.message)
  }
  // Let the last updates reach the server's log before anyone looks at it.
  await sleep(500)
  const result = { clients, edits, drops, closes, converged, content: content(peers[0].doc) }
  for (const p of peers) p.provider.destroy()
  return result
}

const read = async () => {
  const doc = new Y.Doc()
  const provider = connect(doc, { disableBc: true })
  await waitFor(() => provider.synced, 20000, 'sync')
  const result = { content: content(doc) }
  provider.destroy()
  return result
}

try {
  const result = mode === 'storm'
    ? await storm(Number(rest[0] || 12), Number(rest[1] || 20), Number(rest[2] || 1))
    : await read()
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(0)
} catch (e) {
  log(e && e.stack ? e.stack : e)
  process.exit(1)
}
