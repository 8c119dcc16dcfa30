// Uploads a file with tus-js-client through a tusk signed upload link, unchanged: the link is the
// endpoint. Usage: node link-upload.mjs <signed_url> <file> <filetype>
// Prints one JSON object on stdout: the upload URL and the requests the client sent.
import { readFileSync } from 'node:fs'
import * as tus from 'tus-js-client'

const [signedUrl, file, filetype] = process.argv.slice(2)
if (!signedUrl || !file || !filetype) {
  console.error('usage: node link-upload.mjs <signed_url> <file> <filetype>')
  process.exit(2)
}
const log = []
const upload = new tus.Upload(readFileSync(file), {
  endpoint: signedUrl,
  chunkSize: 64 * 1024,
  retryDelays: [0, 200],
  metadata: { filename: 'from-the-browser.bin', filetype },
  onBeforeRequest(req) {
    log.push({ method: req.getMethod(), url: req.getURL() })
  },
  onError(error) {
    console.error(String(error))
    process.exit(1)
  },
  onSuccess() {
    console.log(JSON.stringify({ url: upload.url, requests: log }))
  },
})
upload.start()
