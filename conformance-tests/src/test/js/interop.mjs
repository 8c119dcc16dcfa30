// Drives tus-js-client (Node) against a tus server for the conformance tests.
// Usage: node interop.mjs <endpoint> <scenario> <file> [protocol]
// Prints one JSON object on stdout: the upload URL(s) and the requests the client sent.
// Scenarios: chunked, resume, parallel, deferred, terminate. The protocol is tus-js-client's
// option: tus-v1 (the default), ietf-draft-03 or ietf-draft-05 (Resumable Uploads for HTTP).
import { readFileSync } from 'node:fs'
import * as tus from 'tus-js-client'

const [endpoint, scenario, file, protocol = 'tus-v1'] = process.argv.slice(2)
if (!endpoint || !scenario || !file) {
  console.error('usage: node interop.mjs <endpoint> <scenario> <file>')
  process.exit(2)
}
const data = readFileSync(file)
const CHUNK = 256 * 1024

/** A URL storage in memory, so that findPreviousUploads works within one process. */
class MemoryUrlStorage {
  constructor() {
    this.entries = new Map()
    this.next = 0
  }
  async findAllUploads() {
    return [...this.entries.values()]
  }
  async findUploadsByFingerprint(fingerprint) {
    return [...this.entries.values()].filter((u) => u.fingerprint === fingerprint)
  }
  async removeUpload(key) {
    this.entries.delete(key)
  }
  async addUpload(fingerprint, upload) {
    const key = `tus::${fingerprint}::${this.next++}`
    this.entries.set(key, { ...upload, fingerprint, urlStorageKey: key })
    return key
  }
}

/** Options shared by every scenario; requests are logged into `log`. */
function options(log, extra = {}) {
  return {
    endpoint,
    protocol,
    retryDelays: [0, 200, 500],
    metadata: { filename: `${scenario}.bin`, filetype: 'application/octet-stream' },
    onBeforeRequest(req) {
      log.push({
        method: req.getMethod(),
        url: req.getURL(),
        override: req.getHeader('X-HTTP-Method-Override') ?? null,
        offset: req.getHeader('Upload-Offset') ?? null,
        length: req.getHeader('Upload-Length') ?? null,
        deferLength: req.getHeader('Upload-Defer-Length') ?? null,
        concat: req.getHeader('Upload-Concat') ?? null,
        interop: req.getHeader('Upload-Draft-Interop-Version') ?? null,
        complete: req.getHeader('Upload-Complete') ?? null,
        contentType: req.getHeader('Content-Type') ?? null,
      })
    },
    ...extra,
  }
}

/** Runs an upload to its end; resolves with it, rejects with the client's error. */
function run(upload) {
  return new Promise((resolve, reject) => {
    upload.options.onSuccess = () => resolve(upload)
    upload.options.onError = reject
    upload.start()
  })
}

const scenarios = {
  async chunked() {
    const log = []
    const upload = await run(new tus.Upload(data, options(log, { chunkSize: CHUNK })))
    return { url: upload.url, requests: log }
  },

  // Aborts in the middle of a request, then a new Upload finds the stored URL and resumes.
  async resume() {
    const storage = new MemoryUrlStorage()
    const firstLog = []
    const first = new tus.Upload(data, options(firstLog, { chunkSize: CHUNK * 4, urlStorage: storage }))
    let abortedAt = -1
    await new Promise((resolve, reject) => {
      first.options.onProgress = (sent) => {
        if (abortedAt < 0 && sent > data.length / 3) {
          abortedAt = sent
          first.abort().then(resolve, reject)
        }
      }
      first.options.onSuccess = () => reject(new Error('finished before it could be aborted'))
      first.options.onError = reject
      first.start()
    })
    const log = []
    const second = new tus.Upload(data, options(log, { chunkSize: CHUNK * 4, urlStorage: storage }))
    const previous = await second.findPreviousUploads()
    if (previous.length === 0) throw new Error('no previous upload was stored')
    second.resumeFromPreviousUpload(previous[0])
    await run(second)
    return { url: second.url, firstUrl: first.url, abortedAt, firstRequests: firstLog, requests: log }
  },

  async parallel() {
    const log = []
    const upload = await run(new tus.Upload(data, options(log, { parallelUploads: 4 })))
    return { url: upload.url, requests: log }
  },

  async deferred() {
    const log = []
    const upload = await run(
      new tus.Upload(data, options(log, { chunkSize: CHUNK, uploadLengthDeferred: true })),
    )
    return { url: upload.url, requests: log }
  },

  // Uploads one chunk, then aborts with termination (DELETE).
  async terminate() {
    const log = []
    const upload = new tus.Upload(data, options(log, { chunkSize: CHUNK }))
    await new Promise((resolve, reject) => {
      upload.options.onChunkComplete = () => {
        upload.options.onChunkComplete = null
        upload.abort(true).then(resolve, reject)
      }
      upload.options.onSuccess = () => reject(new Error('finished before it could be terminated'))
      upload.options.onError = reject
      upload.start()
    })
    return { url: upload.url, requests: log }
  },
}

const scenarioFn = scenarios[scenario]
if (!scenarioFn) {
  console.error(`unknown scenario ${scenario}`)
  process.exit(2)
}
try {
  const result = await scenarioFn()
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
} catch (err) {
  console.error(`tus-js-client failed: ${err?.stack ?? err}`)
  process.exit(1)
}
