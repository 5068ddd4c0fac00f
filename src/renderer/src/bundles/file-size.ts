import { megabytes } from '../../../shared/bundle'

/** "840 KB", "3.2 MB": a file's size as people read it. */
export function fileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.ceil(bytes / 1024))} KB` : megabytes(bytes)
}
