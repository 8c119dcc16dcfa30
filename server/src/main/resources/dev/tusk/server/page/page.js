// The upload page: Uppy's Dashboard with the tus plugin, configured from config.json (written by
// the server: endpoint and chunk size) and from the page's URL: #token=… (or ?token=…) sends
// "Authorization: Bearer …", #link=… (or ?link=…) uploads through a signed upload link.
'use strict'

;(function () {
  const query = new URLSearchParams(window.location.search)
  const fragment = new URLSearchParams(window.location.hash.slice(1))
  const param = (name) => fragment.get(name) || query.get(name)

  const notice = document.getElementById('notice')
  function say (text, isError) {
    notice.textContent = text
    notice.classList.toggle('error', Boolean(isError))
    notice.hidden = false
  }

  function size (bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
    let value = bytes
    let unit = 0
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024
      unit++
    }
    return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit]
  }

  function finished (file, url) {
    const item = document.createElement('li')
    const link = document.createElement('a')
    link.href = url
    link.textContent = file.name
    link.target = '_blank'
    link.rel = 'noopener'
    link.dataset.uploadUrl = url
    const bytes = document.createElement('span')
    bytes.className = 'size'
    bytes.textContent = size(file.size)
    item.append(link, bytes)
    document.getElementById('links').append(item)
    document.getElementById('finished').hidden = false
  }

  function start (config) {
    const token = param('token')
    const signedLink = param('link')
    const endpoint = new URL(config.endpoint, window.location.href)
    if (signedLink) {
      endpoint.searchParams.set('link', signedLink)
    }
    const uppy = new Uppy.Uppy({
      autoProceed: false,
      // a signed link creates exactly one upload
      restrictions: signedLink ? { maxNumberOfFiles: 1 } : {}
    })
    uppy.use(Uppy.Dashboard, {
      inline: true,
      target: '#dashboard',
      width: '100%',
      height: 420,
      showProgressDetails: true,
      proudlyDisplayPoweredByUppy: false,
      note: signedLink ? 'One file, through the signed upload link.' : null
    })
    uppy.use(Uppy.Tus, {
      endpoint: endpoint.href,
      chunkSize: config.chunkSize > 0 ? config.chunkSize : Infinity,
      headers: token ? { Authorization: 'Bearer ' + token } : {},
      retryDelays: [0, 1000, 3000, 5000],
      removeFingerprintOnSuccess: true,
      limit: 3
    })
    uppy.on('upload-success', (file, response) => finished(file, response.uploadURL))
    uppy.on('upload-error', (file, error) => {
      const status = error && error.originalResponse ? error.originalResponse.getStatus() : 0
      if ((status === 401 || status === 403) && !token && !signedLink) {
        say('This server needs a credential: open this page as …/#token=<your token>, or with a' +
          ' signed upload link as …/#link=<link>.', true)
      }
    })
    document.body.dataset.ready = 'true'
  }

  fetch('config.json', { cache: 'no-cache', credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) {
        throw new Error('config.json: HTTP ' + response.status)
      }
      return response.json()
    })
    .then(start)
    .catch((error) => say('The upload page could not start: ' + error.message, true))
})()
