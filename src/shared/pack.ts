import { z } from 'zod'
import { ProblemInputSchema } from './problem'

/** The one file format for problem packs, in YAML or JSON. Bump the version on any breaking change. */
export const PACK_FORMAT = 'duet-problem-pack'
export const PACK_VERSION = 1

export const PackFormatSchema = z.enum(['yaml', 'json'])
export type PackFormat = z.infer<typeof PackFormatSchema>

export const PackHeaderSchema = z.object({
  format: z.literal(PACK_FORMAT, `must be "${PACK_FORMAT}"`),
  version: z.number().int().positive(),
})

export const PackFileSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  name: z.string().max(200).optional(),
  exportedAt: z.iso.datetime().optional(),
  problems: z.array(ProblemInputSchema).min(1, 'a pack holds at least one problem'),
})
export type PackFile = z.infer<typeof PackFileSchema>

export const ConflictPolicySchema = z.enum(['skip', 'replace', 'keep-both'])
export type ConflictPolicy = z.infer<typeof ConflictPolicySchema>

export const PackSourceSchema = z.object({
  fileName: z.string().min(1).max(260),
  text: z.string().max(20 * 1024 * 1024, 'the file is larger than 20 MB'),
})
export type PackSource = z.infer<typeof PackSourceSchema>

export const ImportPreviewSchema = z.object({
  problemCount: z.number().int().nonnegative(),
  /** Slugs in the file that already exist in the bank. */
  conflicts: z.array(z.string()),
})
export type ImportPreview = z.infer<typeof ImportPreviewSchema>

export const ImportResultSchema = z.object({
  created: z.array(z.string()),
  replaced: z.array(z.string()),
  skipped: z.array(z.string()),
  /** Problems kept beside an existing one under a new slug: [slug in file, slug given]. */
  renamed: z.array(z.tuple([z.string(), z.string()])),
})
export type ImportResult = z.infer<typeof ImportResultSchema>

export const ExportRequestSchema = z.object({
  ids: z.array(z.number().int().positive()).min(1, 'choose at least one problem'),
  format: PackFormatSchema,
})

export const ExportedPackSchema = z.object({
  fileName: z.string(),
  text: z.string(),
  problemCount: z.number().int().nonnegative(),
})
export type ExportedPack = z.infer<typeof ExportedPackSchema>
