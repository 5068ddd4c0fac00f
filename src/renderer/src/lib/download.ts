/** Saves text as a file through a temporary object URL: works in a browser and in Electron. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBlob(fileName, new Blob([text], { type: mimeType }))
}

/** Saves bytes (a session bundle, say) as a file, the same way. */
export function downloadBytes(
  fileName: string,
  bytes: Uint8Array<ArrayBuffer>,
  mimeType = 'application/octet-stream',
): void {
  downloadBlob(fileName, new Blob([bytes], { type: mimeType }))
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
