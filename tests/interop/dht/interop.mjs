// An independent Mainline DHT node (the npm package bittorrent-dht) driven by Shoal's interop test.
//
// Usage: node interop.mjs BOOTSTRAP_HOST:PORT
// Binds 127.0.0.1 on a free port, bootstraps from the given node and prints JSON lines on stdout:
//   {"event":"ready","port":P,"id":HEX}                        after bootstrap
//   {"event":"announce_received","info_hash":HEX,"host":H,"port":P}  when another node announces to us
//   {"event":"announced","info_hash":HEX,"error":null|TEXT}    after "announce"
//   {"event":"peers","info_hash":HEX,"peers":[{"host":H,"port":P}],"error":null|TEXT}  after "lookup"
// Commands, one per line on stdin:
//   announce INFO_HASH_HEX PORT    announce ourselves for the info-hash on that port
//   lookup INFO_HASH_HEX           get_peers lookup, then print every peer found
//   quit                           leave (closing stdin does the same)
import DHT from 'bittorrent-dht'
import readline from 'node:readline'

const bootstrap = process.argv[2]
if (!bootstrap) {
  console.error('usage: node interop.mjs BOOTSTRAP_HOST:PORT')
  process.exit(2)
}

const print = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const dht = new DHT({ bootstrap: [bootstrap] })
let ready = false
let listening = false
const maybeReady = () => {
  if (ready && listening) print({ event: 'ready', port: dht.address().port, id: dht.nodeId.toString('hex') })
}

dht.on('error', (err) => print({ event: 'error', error: String(err) }))
dht.on('warning', () => {})
dht.on('announce_peer', (infoHash, peer) => {
  print({ event: 'announce_received', info_hash: Buffer.from(infoHash).toString('hex'), host: peer.host, port: peer.port })
})
dht.once('ready', () => { ready = true; maybeReady() })
dht.listen(0, '127.0.0.1', () => { listening = true; maybeReady() })

let quitting = false
const quit = () => {
  if (quitting) return
  quitting = true
  dht.destroy(() => process.exit(0))
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  const [command, hash, port] = line.trim().split(/\s+/)
  if (command === 'announce') {
    dht.announce(hash, Number(port), (err) => {
      print({ event: 'announced', info_hash: hash, error: err ? String(err) : null })
    })
  } else if (command === 'lookup') {
    const seen = new Map()
    const onPeer = (peer, infoHash) => {
      if (Buffer.from(infoHash).toString('hex') === hash) seen.set(`${peer.host}:${peer.port}`, { host: peer.host, port: peer.port })
    }
    dht.on('peer', onPeer)
    dht.lookup(hash, (err) => {
      dht.removeListener('peer', onPeer)
      print({ event: 'peers', info_hash: hash, peers: [...seen.values()], error: err ? String(err) : null })
    })
  } else if (command === 'quit') {
    quit()
  } else if (command) {
    print({ event: 'error', error: `unknown command ${command}` })
  }
})
rl.on('close', quit)
