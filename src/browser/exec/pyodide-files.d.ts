/** Provided by build/vite-pyodide.ts: the byte size of each Pyodide file the runtime fetches. */
declare module 'virtual:duet-pyodide-files' {
  const sizes: Readonly<Record<string, number>>
  export default sizes
}
